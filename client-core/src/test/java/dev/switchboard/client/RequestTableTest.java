package dev.switchboard.client;

import org.junit.jupiter.api.Test;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a dropped connection does to written and unwritten requests: a written send goes out again,
 * in order (its key makes that safe); a written query fails; and the bound on waiting sends.
 */
class RequestTableTest {
    private static final Connection.Sink NOWHERE = new Connection.Sink() {
        @Override
        public void frame(Connection connection, String text) {
        }

        @Override
        public void closed(Connection connection, int code, String reason) {
        }

        @Override
        public void failed(Connection connection, Throwable error) {
        }
    };

    private final RequestTable table = new RequestTable(3);
    private final Connection first = new Connection(NOWHERE, System::nanoTime);

    /** What a failed future failed with (Java 17 has no exceptionNow()). */
    private static Throwable failure(java.util.concurrent.CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        return future.handle((value, error) -> error).join();
    }

    /** A query-like request: not resent. */
    private RequestTable.Request<Ack> request() {
        String id = table.nextId();
        return new RequestTable.Request<>(id, "frame-" + id, Ack.class, false);
    }

    /** A keyed send. */
    private RequestTable.Request<Ack> send() {
        String id = table.nextId();
        return new RequestTable.Request<>(id, "send-" + id, Ack.class, true);
    }

    @Test
    void requestsAreWrittenInTheOrderTheyWereFiled() {
        var a = request();
        var b = request();
        table.add(a);
        table.add(b);

        assertThat(table.nextUnwritten()).isSameAs(a);
        assertThat(table.nextUnwritten()).isSameAs(b);
        assertThat(table.nextUnwritten()).isNull();
    }

    @Test
    void aDropFailsAWrittenQueryAndKeepsTheRestForTheNext() {
        var written = request();
        var waiting = request();
        table.add(written);
        table.add(waiting);
        table.written(table.nextUnwritten(), first);

        table.connectionLost(first, "1006 connection reset", null);

        assertThat(written.future).isCompletedExceptionally();
        assertThat(failure(written.future)).isInstanceOf(ConnectionLostException.class)
                .hasMessageContaining("1006 connection reset");
        assertThat(waiting.future).isNotDone();
        assertThat(table.nextUnwritten()).isSameAs(waiting);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void aDropPutsWrittenSendsBackAtTheHeadInTheirOrder() {
        RequestTable big = new RequestTable(10);
        var a = send();
        var query = request();
        var b = send();
        var c = send();
        for (var r : java.util.List.of(a, query, b, c)) {
            big.add(r);
        }
        big.written(big.nextUnwritten(), first); // a
        big.written(big.nextUnwritten(), first); // query
        big.written(big.nextUnwritten(), first); // b; c not yet written

        big.connectionLost(first, "1006", null);

        assertThat(failure(query.future)).isInstanceOf(ConnectionLostException.class);
        assertThat(big.nextUnwritten()).isSameAs(a);
        assertThat(big.nextUnwritten()).isSameAs(b);
        assertThat(big.nextUnwritten()).isSameAs(c);
        assertThat(big.nextUnwritten()).isNull();
        assertThat(a.future).isNotDone();
        assertThat(big.size()).isEqualTo(3);
    }

    @Test
    void dropOldestFailsTheOldestWaitingSendToMakeRoom() {
        RequestTable two = new RequestTable(2);
        var a = send();
        var b = send();
        var c = send();
        assertThat(two.tryReserve(false)).isTrue();
        two.add(a);
        assertThat(two.tryReserve(false)).isTrue();
        two.add(b);
        assertThat(two.tryReserve(false)).as("reject-new").isFalse();
        assertThat(two.tryReserve(true)).as("drop-oldest").isTrue();
        two.add(c);

        assertThat(failure(a.future)).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("DROP_OLDEST");
        assertThat(b.future).isNotDone();
        assertThat(two.nextUnwritten()).isSameAs(b);
        assertThat(two.nextUnwritten()).isSameAs(c);
        assertThat(two.size()).isEqualTo(2);
    }

    @Test
    void answersCompleteTheirRequestOnceAndUnknownIdsAreIgnored() {
        var request = request();
        table.add(request);

        assertThat(table.answer(request.id, new Ack("bob", 1, 7))).isTrue();
        assertThat(table.answer(request.id, new Ack("bob", 1, 8))).isFalse();
        assertThat(table.answer(null, null)).isFalse();
        assertThat(request.future.join()).isEqualTo(new Ack("bob", 1, 7));
    }

    @Test
    void anAnswerOfTheWrongKindFailsTheRequest() {
        var request = request();
        table.add(request);

        table.answer(request.id, new Presence("bob", true, 1));

        assertThat(failure(request.future)).isInstanceOf(SwitchboardException.class);
    }

    @Test
    void aTimeoutSaysWhetherTheRequestWasSentAndATimedOutRequestIsNotWritten() {
        var sent = request();
        var unsent = request();
        table.add(sent);
        table.add(unsent);
        table.written(table.nextUnwritten(), first);

        table.timedOut(sent, 300);
        table.timedOut(unsent, 300);

        assertThat(failure(sent.future)).isInstanceOf(TimeoutException.class).hasMessageContaining("sent; outcome unknown");
        assertThat(failure(unsent.future)).isInstanceOf(TimeoutException.class).hasMessageContaining("never sent");
        assertThat(table.nextUnwritten()).isNull();
        assertThat(table.size()).isZero();
    }

    @Test
    void placesAreBoundedAndGivenBack() {
        assertThat(table.tryReserve(false)).isTrue();
        assertThat(table.tryReserve(false)).isTrue();
        assertThat(table.tryReserve(false)).isTrue();
        assertThat(table.tryReserve(false)).isFalse();

        table.release();

        assertThat(table.tryReserve(false)).isTrue();
    }

    @Test
    void closingFailsEverything() {
        var a = request();
        var b = request();
        table.add(a);
        table.add(b);
        table.written(table.nextUnwritten(), first);

        table.failAll(new ClientClosedException("closed", null));

        assertThat(failure(a.future)).isInstanceOf(ClientClosedException.class);
        assertThat(failure(b.future)).isInstanceOf(ClientClosedException.class);
        assertThat(table.nextUnwritten()).isNull();
    }
}
