package dev.switchboard.broker.redis;

import dev.switchboard.broker.RecordingListener;
import dev.switchboard.core.BrokerUnavailableException;
import dev.switchboard.core.Forwarded;
import dev.switchboard.testing.ManualClock;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.protocol.RedisCommand;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Forwarded requests on their own, against a link that records what is published and answers as
 * told: every way a forward ends — answered, a gone node, a live node not listening, a node that
 * could not run it, Redis refusing it, no answer by the deadline, the bound, the broker closing.
 */
class ForwardsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(2500);

    private final ManualClock clock = new ManualClock();
    private final FakeLink link = new FakeLink();
    private final Set<String> live = new java.util.HashSet<>(Set.of("n1", "holder"));
    private final Forwards forwards = new Forwards("n1", clock, TIMEOUT.toNanos(), () -> link, live::contains);

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The request id of the last forward published. */
    private long lastRequestId() {
        ByteBuffer frame = ByteBuffer.wrap(link.published.get(link.published.size() - 1).message);
        assertThat(frame.get()).isEqualTo(ClusterWire.FORWARD);
        return ClusterWire.parseForward(frame).requestId();
    }

    private static Throwable failure(CompletableFuture<Forwarded> answer) {
        assertThat(answer).isCompletedExceptionally();
        try {
            answer.get();
            throw new AssertionError("not failed");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRequestGoesOnTheHoldersChannelAndItsAnswerCompletesIt() {
        CompletableFuture<Forwarded> answer = forwards.send("holder", "holder-3", "bob", bytes("{\"type\":\"ping\"}"));

        Published out = link.published.get(0);
        assertThat(out.channel).isEqualTo(RedisKeys.nodeChannel("holder"));
        ByteBuffer frame = ByteBuffer.wrap(out.message);
        assertThat(frame.get()).isEqualTo(ClusterWire.FORWARD);
        ClusterWire.Forward request = ClusterWire.parseForward(frame);
        assertThat(request.origin()).isEqualTo("n1");
        assertThat(request.connectionId()).isEqualTo("holder-3");
        assertThat(request.userId()).isEqualTo("bob");
        assertThat(new String(request.request(), StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"ping\"}");
        assertThat(answer).isNotDone();

        forwards.answered(request.requestId(), new Forwarded(200, bytes("{\"type\":\"pong\"}")));
        assertThat(answer.join().status()).isEqualTo(200);
        assertThat(forwards.size()).isZero();
    }

    @Test
    void theHolderRunsWhatItIsSentAndAnswersOnTheOriginsChannelOnce() {
        RecordingListener holder = new RecordingListener();
        holder.forwardAnswer = new Forwarded(204, new byte[0]);
        byte[] frame = ClusterWire.forward(42, "origin", "n1-9", "bob", bytes("{\"type\":\"received\",\"seq\":1}"));
        ByteBuffer in = ByteBuffer.wrap(frame);
        in.get();

        forwards.received(ClusterWire.parseForward(in), holder);

        assertThat(holder.forwarded).containsExactly("n1-9/bob:{\"type\":\"received\",\"seq\":1}");
        assertThat(link.published).hasSize(1);
        assertThat(link.published.get(0).channel).isEqualTo(RedisKeys.nodeChannel("origin"));
        ByteBuffer back = ByteBuffer.wrap(link.published.get(0).message);
        assertThat(back.get()).isEqualTo(ClusterWire.FORWARD_ANSWER);
        ClusterWire.ForwardAnswer answer = ClusterWire.parseForwardAnswer(back);
        assertThat(answer.requestId()).isEqualTo(42);
        assertThat(answer.answer().status()).isEqualTo(204);
    }

    @Test
    void aHolderThatCannotRunTheRequestSaysSoAndTheOriginAnswersUnavailable() {
        RecordingListener failing = new RecordingListener();
        failing.forwardFailure = new java.util.concurrent.RejectedExecutionException("event loop shut down");
        ByteBuffer in = ByteBuffer.wrap(ClusterWire.forward(7, "origin", "n1-1", "bob", new byte[0]));
        in.get();
        forwards.received(ClusterWire.parseForward(in), failing);
        ByteBuffer back = ByteBuffer.wrap(link.published.get(0).message);
        back.get();
        assertThat(ClusterWire.parseForwardAnswer(back).answer().status()).isEqualTo(Forwarded.FAILED);

        CompletableFuture<Forwarded> answer = forwards.send("holder", "holder-1", "bob", new byte[0]);
        forwards.answered(lastRequestId(), Forwarded.failed());
        assertThat(failure(answer)).isInstanceOf(BrokerUnavailableException.class);
    }

    @Test
    void nobodyOnTheChannelIsAGoneNodeUnlessTheRegistryStillListsIt() {
        link.receivers = 0;
        assertThat(forwards.send("gone", "gone-1", "bob", new byte[0]).join().held()).isFalse();
        assertThat(failure(forwards.send("holder", "holder-1", "bob", new byte[0])))
                .isInstanceOf(BrokerUnavailableException.class).hasMessageContaining("not listening");
        assertThat(forwards.size()).isZero();
    }

    @Test
    void aPublishRedisRefusesFailsTheForwardAtOnce() {
        link.failure = new io.lettuce.core.RedisConnectionException("connection refused");
        assertThat(failure(forwards.send("holder", "holder-1", "bob", new byte[0])))
                .isInstanceOf(BrokerUnavailableException.class);
        assertThat(forwards.size()).isZero();
    }

    @Test
    void aForwardUnansweredByTheDeadlineFailsAndALateAnswerIsDropped() {
        CompletableFuture<Forwarded> answer = forwards.send("holder", "holder-1", "bob", new byte[0]);
        long id = lastRequestId();
        clock.advance(TIMEOUT.minusMillis(1));
        forwards.expire();
        assertThat(answer).isNotDone();

        clock.advance(Duration.ofMillis(1));
        forwards.expire();
        assertThat(failure(answer)).isInstanceOf(BrokerUnavailableException.class).hasMessageContaining("in time");
        forwards.answered(id, new Forwarded(200, new byte[0]));
        assertThat(forwards.size()).isZero();
    }

    @Test
    void atMostMaxPendingWaitAndClosingFailsThemAll() {
        List<CompletableFuture<Forwarded>> waiting = new ArrayList<>();
        for (int i = 0; i < Forwards.MAX_PENDING; i++) {
            waiting.add(forwards.send("holder", "holder-1", "bob", new byte[0]));
        }
        int publishedBefore = link.published.size();
        assertThat(failure(forwards.send("holder", "holder-1", "bob", new byte[0])))
                .isInstanceOf(BrokerUnavailableException.class).hasMessageContaining("too many");
        assertThat(link.published).as("the refused one was not sent").hasSize(publishedBefore);

        forwards.close();
        assertThat(waiting).allSatisfy(f -> assertThat(failure(f)).isInstanceOf(BrokerUnavailableException.class));
        assertThat(forwards.size()).isZero();
    }

    private record Published(String channel, byte[] message) {
    }

    /** Publishes by recording; answers with {@link #receivers}, or fails with {@link #failure}. */
    private static final class FakeLink implements Link {
        final List<Published> published = new ArrayList<>();
        volatile long receivers = 1;
        volatile Throwable failure;

        @Override
        public CompletableFuture<Long> publish(String channel, byte[] message) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            published.add(new Published(channel, message));
            return CompletableFuture.completedFuture(receivers);
        }

        @Override
        public CompletableFuture<Void> connect() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void tick() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public RedisClusterAsyncCommands<String, byte[]> redis() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean scriptsCached() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void scriptsLost() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean dispatch(List<RedisCommand<String, byte[], ?>> commands) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> subscribe(String channel) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> unsubscribe(String channel) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] publishCommand() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
