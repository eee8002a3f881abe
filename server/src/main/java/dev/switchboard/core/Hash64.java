package dev.switchboard.core;

/**
 * A 64-bit non-cryptographic hash of bytes (FNV-1a, then the MurmurHash3 finaliser to spread the
 * bits): for telling keys and messages apart, not for security. Written by hand: twenty lines, and
 * the JDK has no 64-bit hash of a byte array.
 */
public final class Hash64 {
    /** The FNV-1a offset basis: start a hash here. */
    public static final long SEED = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private Hash64() {
    }

    /** Continues {@code seed} over {@code bytes}, separated from what came before. */
    public static long of(long seed, byte[] bytes) {
        long h = seed ^ bytes.length;
        for (byte b : bytes) {
            h ^= b & 0xFF;
            h *= PRIME;
        }
        return mix(h);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
