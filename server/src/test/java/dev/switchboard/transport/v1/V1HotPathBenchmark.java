package dev.switchboard.transport.v1;

import dev.switchboard.core.Message;
import dev.switchboard.core.Publication;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The switchboard.v1 side of the hot path: encoding one message envelope (once per delivery, shared
 * by the user's v1 connections). Run with {@code bench/jmh}; not part of {@code mvn verify}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms1g", "-Xmx1g"})
public class V1HotPathBenchmark {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private final EnvelopeEncoder envelope = new EnvelopeEncoder(ALLOC);
    private final Message message = Message.ofString("~0123456789abcdef" + "x".repeat(47));

    /** Encoding one switchboard.v1 message envelope. */
    @Benchmark
    public void encodeEnvelope(Blackhole hole) {
        ByteBuf encoded = envelope.encode(new Publication("u1234", message, "alice").at(42, "epoch", 1L));
        hole.consume(encoded);
        encoded.release();
    }
}
