package dev.switchboard.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventDispatcherTest {
    private final List<Object> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        gate.countDown();
        thread.shutdownNow();
    }

    private EventDispatcher dispatcher(int limit, boolean blockOnMessages) {
        return new EventDispatcher(thread, new Listeners(
                message -> {
                    if (blockOnMessages) {
                        try {
                            gate.await(5, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    if (message.seq() == 2) {
                        throw new IllegalStateException("a listener bug");
                    }
                    seen.add(message.seq());
                },
                seen::add, seen::add, seen::add, seen::add, seen::add), limit);
    }

    private static Message message(long seq) {
        return new Message(seq, "alice", "\"m\"", "m", 0, false);
    }

    @Test
    void everyKindOfEventInTheOrderItHappenedAndAThrowingListenerSkipsOnlyItsEvent() {
        EventDispatcher events = dispatcher(100, false);
        AtomicInteger confirmed = new AtomicInteger();
        StateChange open = new StateChange(ConnectionState.CONNECTING, ConnectionState.OPEN, 0, "", null);
        Presence presence = new Presence("bob", true, 2);

        events.stateChange(open);
        events.message(message(1), confirmed::incrementAndGet);
        events.message(message(2), confirmed::incrementAndGet);
        events.presence(presence);
        events.message(message(3), confirmed::incrementAndGet);

        await().until(() -> seen.size() == 4);
        assertThat(seen).containsExactly(open, 1L, presence, 3L);
        assertThat(confirmed).as("confirmed after the listener, even one that threw").hasValue(3);
    }

    @Test
    void aSlowListenerPutsTheClientBehindAndItIsToldOnceItCaughtUp() {
        EventDispatcher events = dispatcher(10, true);
        CountDownLatch caughtUp = new CountDownLatch(1);

        for (int i = 0; i < 9; i++) {
            events.message(message(100 + i), () -> { });
        }
        assertThat(events.behind()).isFalse();
        events.message(message(200), () -> { });
        assertThat(events.behind()).isTrue();
        events.notifyWhenCaughtUp(caughtUp::countDown);
        assertThat(caughtUp.getCount()).isEqualTo(1);

        gate.countDown();
        await().until(() -> caughtUp.getCount() == 0);
        assertThat(events.behind()).isFalse();
    }

    @Test
    void askingWhenAlreadyCaughtUpAnswersAtOnce() {
        EventDispatcher events = dispatcher(10, false);
        AtomicInteger told = new AtomicInteger();

        events.notifyWhenCaughtUp(told::incrementAndGet);

        assertThat(told).hasValue(1);
    }

    @Test
    void afterShutdownTheQueuedEventsAreStillDeliveredAndLaterOnesDropped() throws InterruptedException {
        EventDispatcher events = dispatcher(10, false);
        events.message(message(1), () -> { });
        events.shutdown();
        events.message(message(3), () -> { });

        assertThat(thread.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly(1L);
        assertThat(events.behind()).isFalse();
    }
}
