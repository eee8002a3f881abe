package dev.switchboard.extension;

import dev.switchboard.api.AppEndpoints;
import dev.switchboard.api.ServerApi;
import dev.switchboard.auth.Authenticator;
import dev.switchboard.core.Clock;
import dev.switchboard.core.Scheduler;
import dev.switchboard.metrics.Metrics;
import dev.switchboard.node.Node;

/**
 * An optional part of a server that the composition root adds only when it is on — the
 * live-transcript app (module {@code switchboard-app}, switch {@code --app}) is one. Extensions are
 * found with {@link java.util.ServiceLoader}: a server built without one on its class path runs
 * without it. An extension sees the server only through this interface; it never reaches into the
 * transport or the broker.
 *
 * <p>Lifecycle: {@link #metrics} is called first, before the node exists; then {@link #start} once,
 * before the server accepts connections; then the returned parts' {@code resources} are closed at
 * shutdown. Called on the starting thread; {@code start} may block briefly (a cluster's Redis).
 */
public interface ServerExtension {
    /** Its switch: {@code --<name>} / {@code --no-<name>}. */
    String name();

    /** What it wants to count of the server's traffic (a dashboard's numbers), or {@link Metrics#NOOP}. */
    Metrics metrics(Clock clock, Scheduler timers);

    /** Starts it on the running node: what it adds to the server. */
    Parts start(Context context) throws InterruptedException;

    /**
     * What an extension gets to work with.
     *
     * @param authenticator the handshake's authenticator (token mode's JWTs, or dev mode's)
     * @param tokenMode whether identities come from signed tokens
     * @param redis the cluster's Redis URI, or {@code null} for a node alone
     */
    record Context(Node node, ServerApi api, Authenticator authenticator, boolean tokenMode, String redis,
                   Clock clock, Scheduler timers) {
    }

    /**
     * What an extension adds.
     *
     * @param endpoints HTTP endpoints mounted beside the built-in ones
     * @param authenticator the authenticator the handshake uses from now on (the given one, or one
     *     that also accepts what the extension issues)
     * @param resources closed at shutdown
     */
    record Parts(AppEndpoints endpoints, Authenticator authenticator, AutoCloseable resources) {
    }
}
