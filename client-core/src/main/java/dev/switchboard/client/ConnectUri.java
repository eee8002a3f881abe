package dev.switchboard.client;

import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.net.URLEncoder;

/** The URI of one connection attempt: the configured one plus identity and resume parameters. */
final class ConnectUri {
    private ConnectUri() {
    }

    /**
     * @param userId dev mode's {@code ?userId=}, or {@code null}
     * @param stream where to resume from, when it {@linkplain StreamTracker#canResume() can}
     */
    static URI of(URI base, String userId, StreamTracker stream) {
        StringBuilder query = new StringBuilder();
        if (base.getRawQuery() != null && !base.getRawQuery().isEmpty()) {
            query.append(base.getRawQuery());
        }
        if (userId != null) {
            append(query, "userId", userId);
        }
        if (stream.canResume()) {
            append(query, "since", Long.toString(stream.lastSeq()));
            append(query, "epoch", stream.epoch());
        }
        String path = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path
                + (query.length() == 0 ? "" : "?" + query));
    }

    /** Checks the URI a client is built with. */
    static URI validate(URI uri) {
        String scheme = uri.getScheme();
        if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("the URI must be ws:// or wss://: " + uri);
        }
        if (uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("the URI has no host: " + uri);
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("a WebSocket URI has no fragment: " + uri);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!path.isEmpty() && !path.endsWith("/") && !path.endsWith("/ws")) {
            throw new IllegalArgumentException("Switchboard serves WebSockets at / and /ws (behind a proxy: a path"
                    + " ending in / or /ws), not at " + path + ": " + Handshake.redacted(uri));
        }
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        for (String parameter : query.split("&")) {
            String name = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
            switch (name) {
                case "userId":
                    throw new IllegalArgumentException("give the user with the builder's userId(...), not in the URI's query");
                case "token":
                    throw new IllegalArgumentException(
                            "give the token with the builder's token(...) or tokenProvider(...), not in the URI's query");
                case "since":
                case "epoch":
                    throw new IllegalArgumentException(
                            "the client resumes by itself from what it received: leave ?" + name + "= out of the URI");
                default:
                    break;
            }
        }
        return uri;
    }

    private static void append(StringBuilder query, String name, String value) {
        if (query.length() > 0) {
            query.append('&');
        }
        try {
            query.append(name).append('=').append(URLEncoder.encode(value, "UTF-8"));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }
}
