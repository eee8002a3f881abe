package dev.switchboard.transport.plain;

import dev.switchboard.transport.FrameException;

import dev.switchboard.broker.memory.MemoryBroker;
import dev.switchboard.core.Clock;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.core.Scheduler;
import dev.switchboard.hub.Hub;
import dev.switchboard.hub.Delivery;
import dev.switchboard.hub.FrameEncoder;
import dev.switchboard.hub.Session;
import dev.switchboard.hub.SessionEvent;
import dev.switchboard.node.Node;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The hot path without the network: parse a plain frame → publish through the node and the memory
 * broker (seq, history) → fan out to every connection of the user → encode once and share. Run with
 * {@code bench/jmh} (see bench/README.md); it is not part of {@code mvn verify}.
 *
 * <p>The sessions stand in for Netty sessions: they take a retained duplicate of the shared frame
 * and release it, which is what a real session's write costs up to the socket.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms1g", "-Xmx1g"})
public class PlainHotPathBenchmark {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final Scheduler NO_TIMERS = (task, period) -> () -> { };

    @Param({"1", "4"})
    public int devices;

    @Param({"1000"})
    public int historySize;

    private byte[] frame;
    private Node node;
    private PlainEncoder plain;
    private final String[] users = new String[10_000];
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        String payload = "~0123456789abcdef" + "x".repeat(47); // 64 bytes, as the load generator sends
        frame = ("{\"userId\":\"u1234\",\"message\":\"" + payload + "\"}").getBytes(StandardCharsets.UTF_8);
        plain = new PlainEncoder(ALLOC);
        node = Node.of(new Hub(), new MemoryBroker(Clock.SYSTEM, NO_TIMERS, historySize, Duration.ofMinutes(5)));
        node.start().join();
        for (int u = 0; u < users.length; u++) {
            users[u] = "u" + u;
            for (int d = 0; d < devices; d++) {
                node.open(new SharingSession(users[u] + "-" + d, users[u], plain));
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        node.close();
    }

    /** Parsing alone: the Jackson streaming parse of a 64-byte plain-mode frame. */
    @Benchmark
    public PlainSend parse() throws FrameException {
        return PlainFrameParser.parse(frame, 0, frame.length);
    }

    /** Parse → publish (seq + history) → fan out to the user's connections, encoded once and shared. */
    @Benchmark
    public PublishResult parseRouteEncode() throws FrameException {
        PlainSend send = PlainFrameParser.parse(frame, 0, frame.length);
        String user = users[next++ % users.length]; // spread over users, as the load generator does
        return node.publish(new Publication(user, send.message(), null)).join();
    }

    /** The sender's acknowledgement frame. */
    @Benchmark
    public void ack(Blackhole hole) {
        var ack = PlainFrames.ack(ALLOC, "u1234", devices, false);
        hole.consume(ack);
        ack.release();
    }

    /** A session that does what a Netty session does with a delivery, short of the socket. */
    private record SharingSession(String id, String userId, FrameEncoder<ByteBuf> encoder) implements Session {
        @Override
        public boolean deliver(Delivery delivery) {
            delivery.frame(encoder).retainedDuplicate().release();
            return true;
        }

        @Override
        public void deliverEvent(SessionEvent event) {
        }

        @Override
        public long expiresAtMillis() {
            return 0;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public long lastActivityNanos() {
            return 0;
        }

        @Override
        public void ping() {
        }

        @Override
        public void close(int code, String reason) {
        }
    }
}
