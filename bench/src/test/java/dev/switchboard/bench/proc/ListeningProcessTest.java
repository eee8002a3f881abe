package dev.switchboard.bench.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ListeningProcessTest {

    @Test
    void findsThisProcessByItsListeningPortAndReadsItsMemoryAndCpu() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
        long self = ProcessHandle.current().pid();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(ListeningProcess.pidOf(listener.getLocalPort())).hasValue(self);
        }
        assertThat(ProcFs.rssBytes(self).orElseThrow()).isGreaterThan(1L << 20);
        assertThat(ProcFs.cpuNanos(self).orElseThrow()).isPositive();
        assertThat(ProcFs.isJvm(self)).isTrue();
    }
}
