package dev.switchboard.core;

import java.util.Locale;

/** Parses byte sizes: {@code 65536}, {@code 64KiB}, {@code 1MiB} (also KB/MB, k/m, all as powers of 1024). */
public final class Sizes {
    private Sizes() {
    }

    public static int parse(String text) {
        long bytes = parseLong(text);
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("size out of range: '" + text + "'");
        }
        return (int) bytes;
    }

    /** A size that may pass 2 GiB. */
    public static long parseLong(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        long multiplier = 1;
        if (value.endsWith("k")) {
            multiplier = 1024;
        } else if (value.endsWith("m")) {
            multiplier = 1024 * 1024;
        } else if (value.endsWith("g")) {
            multiplier = 1024L * 1024 * 1024;
        }
        if (multiplier > 1) {
            value = value.substring(0, value.length() - 1);
        }
        try {
            long bytes = Math.multiplyExact(Long.parseLong(value.trim()), multiplier);
            if (bytes <= 0) {
                throw new IllegalArgumentException("size out of range: '" + text + "'");
            }
            return bytes;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size: '" + text + "' (use e.g. 65536, 64KiB, 1MiB)");
        }
    }
}
