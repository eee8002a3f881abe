package dev.switchboard.transport;

import java.lang.management.ManagementFactory;

/** The process's open-file limit, which caps how many connections it can hold. */
final class OpenFiles {
    /** Assumed when the platform does not tell. */
    static final long UNKNOWN_LIMIT = 65_536;

    private OpenFiles() {
    }

    static long limit() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            if (max > 0) {
                return max;
            }
        }
        return UNKNOWN_LIMIT;
    }
}
