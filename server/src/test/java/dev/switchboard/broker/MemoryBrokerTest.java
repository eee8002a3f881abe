package dev.switchboard.broker;

import dev.switchboard.broker.memory.MemoryBroker;
import dev.switchboard.core.Clock;
import dev.switchboard.core.Message;
import dev.switchboard.testing.ManualScheduler;

import java.time.Duration;
import dev.switchboard.core.Publication;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryBrokerTest extends BrokerContract<MemoryBroker> {
    @Override
    protected PresenceStore presenceOf(MemoryBroker backend) {
        return backend;
    }

    @Override
    protected MemoryBroker newBroker() {
        return new MemoryBroker(Clock.SYSTEM, new ManualScheduler(), 1000, Duration.ofMinutes(5));
    }

    @Test
    void publishingBeforeStartFails() {
        MemoryBroker fresh = new MemoryBroker(Clock.SYSTEM, new ManualScheduler(), 1000, Duration.ofMinutes(5));
        assertThat(fresh.publish(new Publication("bob", Message.ofString("x"), null)))
                .isCompletedExceptionally();
    }

    @Test
    void startingTwiceIsAnError() {
        assertThatThrownBy(() -> broker.start(new RecordingListener())).isInstanceOf(IllegalStateException.class);
    }
}
