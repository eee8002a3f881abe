package dev.switchboard.bench.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Finds the process that listens on a local TCP port, the way {@code ss -ltnp} does: the socket
 * inodes in LISTEN state on that port from /proc/net/tcp{,6}, then the process holding one of them
 * as an open file. Lets the bench measure a server it did not start.
 */
public final class ListeningProcess {

    private static final String TCP_LISTEN = "0A";

    private ListeningProcess() {
    }

    public static OptionalLong pidOf(int port) {
        Set<String> inodes = new HashSet<>();
        collectListenInodes(Path.of("/proc/net/tcp"), port, inodes);
        collectListenInodes(Path.of("/proc/net/tcp6"), port, inodes);
        if (inodes.isEmpty()) {
            return OptionalLong.empty();
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                if (holdsAny(proc, inodes)) {
                    return OptionalLong.of(Long.parseLong(proc.getFileName().toString()));
                }
            }
        } catch (IOException unreadable) {
            // fall through: unknown
        }
        return OptionalLong.empty();
    }

    private static void collectListenInodes(Path table, int port, Set<String> inodes) {
        String hexPort = String.format(":%04X", port);
        for (String line : ProcFs.lines(table)) {
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            String[] f = line.trim().split("\\s+");
            if (f.length > 9 && f[1].endsWith(hexPort) && TCP_LISTEN.equals(f[3])) {
                inodes.add("socket:[" + f[9] + "]");
            }
        }
    }

    private static boolean holdsAny(Path proc, Set<String> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while we looked
                }
            }
        } catch (IOException | SecurityException notOurs) {
            // process exited or is not readable
        }
        return false;
    }
}
