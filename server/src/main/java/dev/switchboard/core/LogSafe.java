package dev.switchboard.core;

/** Makes client-supplied text safe to put in a log line: no control characters, bounded length. */
public final class LogSafe {
    private static final int MAX = 128;

    private LogSafe() {
    }

    public static String text(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX + 3));
        for (int i = 0; i < value.length() && i < MAX; i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) || c == '"' ? '?' : c);
        }
        if (value.length() > MAX) {
            out.append("...");
        }
        return out.toString();
    }
}
