package dev.switchboard.core;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.regex.Pattern;

/**
 * A JSON syntax error as a client should read it: the parser's reason and where, without the
 * parser's internals ({@code [Source: REDACTED (…) …]}).
 */
public final class JsonSyntax {
    /** A location the parser quotes inside its reason, e.g. an object's start marker. */
    private static final Pattern QUOTED_LOCATION =
            Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)]");
    private static final int MAX_REASON = 200;

    private JsonSyntax() {
    }

    /** {@code "<reason> (line L, column C)"}. */
    public static String describe(JsonProcessingException e) {
        String reason = QUOTED_LOCATION.matcher(String.valueOf(e.getOriginalMessage()))
                .replaceAll("line $1, column $2").replaceAll("\\s+", " ").trim();
        if (reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON) + "…";
        }
        JsonLocation location = e.getLocation();
        if (location != null && location.getColumnNr() > 0) {
            reason += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return reason;
    }
}
