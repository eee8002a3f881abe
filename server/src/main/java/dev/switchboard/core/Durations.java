package dev.switchboard.core;

import java.time.Duration;
import java.util.Locale;

/** Parses durations as people write them on a command line: {@code 500ms}, {@code 25s}, {@code 5m}, {@code 1h}, or ISO-8601. */
public final class Durations {
    private Durations() {
    }

    public static Duration parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            switch (value.charAt(value.length() - 1)) {
                case 's':
                    return Duration.ofSeconds(amount);
                case 'm':
                    return Duration.ofMinutes(amount);
                case 'h':
                    return Duration.ofHours(amount);
                default:
                    break;
            }
        } catch (RuntimeException e) {
            // fall through to the error below, which names the accepted forms
        }
        throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 500ms, 25s, 5m, 1h)");
    }
}
