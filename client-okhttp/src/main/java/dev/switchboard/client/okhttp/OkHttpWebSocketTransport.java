package dev.switchboard.client.okhttp;

import dev.switchboard.client.transport.TransportListener;
import dev.switchboard.client.transport.TransportSocket;
import dev.switchboard.client.transport.WebSocketTransport;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OkHttp's WebSocket as a {@link WebSocketTransport}: the transport of
 * {@code switchboard-client-okhttp}, for Android (and any JVM that prefers OkHttp). Found by
 * {@link java.util.ServiceLoader} when the builder is given no transport; give one explicitly to
 * share the application's {@link OkHttpClient} (its TLS settings, proxy, interceptors, thread pool):
 * {@code builder.transport(new OkHttpWebSocketTransport(okHttpClient))}.
 *
 * <p>Each connection attempt uses a client derived from the given one ({@link OkHttpClient#newBuilder()},
 * which shares its connection pool and dispatcher) with the client's {@code connectTimeout} as
 * OkHttp's connect and call timeout (the call timeout covers the handshake only) and no read timeout:
 * a quiet connection is the client's to judge ({@code pingInterval}), not OkHttp's. An open
 * WebSocket keeps one of the dispatcher's threads and counts against its {@code maxRequests} for as
 * long as it is open; the default client of this class lifts that limit, a client of your own keeps
 * its limit (64 by default).
 *
 * <p>Thread-safe, as {@link OkHttpClient} is. Callbacks run on OkHttp's reader thread of each socket.
 */
public final class OkHttpWebSocketTransport implements WebSocketTransport {
    private final OkHttpClient client;

    /** On an OkHttp client shared by every transport made this way, with daemon threads. */
    public OkHttpWebSocketTransport() {
        this(DefaultClient.INSTANCE);
    }

    /** On {@code client}: its TLS settings, proxy, interceptors and dispatcher apply. */
    public OkHttpWebSocketTransport(OkHttpClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public String name() {
        return "okhttp";
    }

    @Override
    public CompletableFuture<TransportSocket> open(URI uri, String subprotocol, Map<String, String> headers,
                                                   Duration connectTimeout, TransportListener listener) {
        long timeout = connectTimeout.toMillis();
        OkHttpClient attempt = client.newBuilder()
                .connectTimeout(timeout, TimeUnit.MILLISECONDS)
                .callTimeout(timeout, TimeUnit.MILLISECONDS)
                .readTimeout(0, TimeUnit.MILLISECONDS)
                .build();
        Request.Builder request = new Request.Builder().url(uri.toString()).header("Sec-WebSocket-Protocol", subprotocol);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            request.header(header.getKey(), header.getValue());
        }
        OkHttpSocket socket = new OkHttpSocket(listener);
        attempt.newWebSocket(request.build(), socket);
        return socket.opened();
    }

    /** The shared default client: created on first use; daemon threads; no limit on open WebSockets. */
    private static final class DefaultClient {
        static final OkHttpClient INSTANCE = create();

        private static OkHttpClient create() {
            AtomicInteger threads = new AtomicInteger();
            ThreadPoolExecutor executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), task -> {
                        Thread thread = new Thread(task, "switchboard-okhttp-" + threads.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            Dispatcher dispatcher = new Dispatcher(executor);
            dispatcher.setMaxRequests(Integer.MAX_VALUE);
            dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
            return new OkHttpClient.Builder().dispatcher(dispatcher).build();
        }
    }
}
