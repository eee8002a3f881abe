package dev.switchboard.bench.load;

/** A {@code host:port} pair given on the command line; the host defaults to 127.0.0.1. */
public record HostPort(String host, int port) {

    public HostPort {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
    }

    /** Parses {@code host:port}, {@code :port} or {@code port}. */
    public static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon <= 0 ? "127.0.0.1" : text.substring(0, colon);
        try {
            return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected host:port, got " + text, e);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
