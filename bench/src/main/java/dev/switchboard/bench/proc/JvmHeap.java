package dev.switchboard.bench.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live heap of another JVM, measured with the JDK's {@code jcmd}: a full GC first, so the figure is
 * what the connections keep reachable rather than whatever garbage happens to be around.
 */
public final class JvmHeap {

    /** "garbage-first heap   total 262144K, used 10240K" (G1), or one such line per generation. */
    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private static final long JCMD_TIMEOUT_SECONDS = 30;

    private JvmHeap() {
    }

    /** Heap bytes in use right after a full collection, if {@code pid} is a JVM that lets us attach. */
    public static OptionalLong usedAfterGc(long pid) {
        if (!ProcFs.isJvm(pid)) {
            return OptionalLong.empty();
        }
        try {
            if (jcmd(pid, "GC.run") == null) {
                return OptionalLong.empty();
            }
            String info = jcmd(pid, "GC.heap_info");
            if (info == null) {
                return OptionalLong.empty();
            }
            long usedKb = 0;
            boolean found = false;
            Matcher m = USED.matcher(info);
            while (m.find()) {
                usedKb += Long.parseLong(m.group(1));
                found = true;
            }
            return found ? OptionalLong.of(usedKb * 1024) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(JdkTool.path("jcmd"), Long.toString(pid), command))
                .redirectErrorStream(true)
                .start();
        if (!p.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.exitValue() == 0 ? out : null;
    }
}
