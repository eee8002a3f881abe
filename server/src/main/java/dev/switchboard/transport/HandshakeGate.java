package dev.switchboard.transport;

import dev.switchboard.transport.http.HttpException;

import dev.switchboard.auth.AuthenticationException;
import dev.switchboard.auth.Authenticator;
import dev.switchboard.auth.Credentials;
import dev.switchboard.auth.OriginPolicy;
import dev.switchboard.core.Identity;
import dev.switchboard.node.Node;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.List;
import java.util.Map;

/**
 * Decides whether a WebSocket handshake may proceed and who the client is. Checks, in order:
 * the browser origin (403), the credentials (401), the node's broker (503), the server's connection limit (503), the
 * user's connection limit (429), so a client learns the most fundamental problem first.
 *
 * <p>The limits are checked against the counts at handshake time; handshakes racing for the last
 * place may overshoot a limit by the number of event loops at most. Thread-safe.
 */
final class HandshakeGate {
    private final Authenticator authenticator;
    private final OriginPolicy origins;
    private final Node node;
    private final int maxConnections;
    private final int maxConnectionsPerUser;

    HandshakeGate(Authenticator authenticator, OriginPolicy origins, Node node, int maxConnections,
                  int maxConnectionsPerUser) {
        this.authenticator = authenticator;
        this.origins = origins;
        this.node = node;
        this.maxConnections = maxConnections;
        this.maxConnectionsPerUser = maxConnectionsPerUser;
    }

    /** Returns the identity of an admitted client. Runs on the event loop. */
    Identity admit(FullHttpRequest request) throws HttpException {
        Identity identity = identify(request);
        if (!node.ready()) {
            throw new HttpException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                    "this node cannot reach its cluster's broker; try another node or later");
        }
        if (node.connectionCount() >= maxConnections) {
            throw new HttpException(HttpResponseStatus.SERVICE_UNAVAILABLE, "server_full",
                    "the server is at its connection limit; try another node or later");
        }
        if (identity.userId() != null
                && node.localConnections(identity.userId()) >= maxConnectionsPerUser) {
            throw new HttpException(HttpResponseStatus.TOO_MANY_REQUESTS, "too_many_connections",
                    "this user already has " + maxConnectionsPerUser + " connections");
        }
        return identity;
    }

    /**
     * Who the client is, before the node's limits: the origin (403) and the credentials (401). Also
     * asked of each request of an open connection (an SSE connection's POST). Runs on the event loop.
     */
    Identity identify(FullHttpRequest request) throws HttpException {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (!origins.permits(origin)) {
            throw new HttpException(HttpResponseStatus.FORBIDDEN, "origin_not_allowed",
                    "this origin may not connect");
        }
        Identity identity;
        try {
            identity = authenticator.authenticate(credentials(request));
        } catch (AuthenticationException e) {
            throw new HttpException(HttpResponseStatus.UNAUTHORIZED, "unauthorized", e.getMessage());
        }
        if (identity.userId() != null && identity.userId().length() > Identity.MAX_USER_ID_LENGTH) {
            throw new HttpException(HttpResponseStatus.BAD_REQUEST, "invalid_user_id",
                    "userId is longer than " + Identity.MAX_USER_ID_LENGTH + " characters");
        }
        return identity;
    }

    /** Whether a browser page of {@code origin} may connect ({@code --allowed-origins}). */
    boolean permitsOrigin(String origin) {
        return origins.permits(origin);
    }

    static Credentials credentials(FullHttpRequest request) {
        Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
        String token = bearer(request.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (token == null) {
            token = first(query, "token");
        }
        return new Credentials(token, first(query, "userId"));
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty() || values.get(0).isEmpty()) {
            return null;
        }
        return values.get(0);
    }
}
