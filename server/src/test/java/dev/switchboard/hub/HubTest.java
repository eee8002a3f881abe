package dev.switchboard.hub;

import dev.switchboard.core.Message;
import dev.switchboard.core.Publication;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HubTest {
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final Hub hub = new Hub(registry);

    @Test
    void deliversToEveryOpenConnectionOfTheUserAndCountsThem() {
        FakeSession phone = new FakeSession("1", "bob");
        FakeSession pc = new FakeSession("2", "bob");
        FakeSession alice = new FakeSession("3", "alice");
        registry.add(phone);
        registry.add(pc);
        registry.add(alice);
        Publication publication = new Publication("bob", Message.ofString("hi"), null);

        assertThat(hub.deliver(publication)).isEqualTo(2);
        assertThat(phone.delivered()).containsExactly(publication);
        assertThat(pc.delivered()).containsExactly(publication);
        assertThat(alice.delivered()).isEmpty();
    }

    @Test
    void aConnectionThatRefusesTheFrameIsNotCounted() {
        FakeSession open = new FakeSession("1", "bob");
        FakeSession closing = new FakeSession("2", "bob");
        registry.add(open);
        registry.add(closing);
        closing.drop();

        assertThat(hub.deliver(new Publication("bob", Message.ofString("hi"), null))).isEqualTo(1);
    }

    @Test
    void anOfflineUserGetsNothing() {
        assertThat(hub.deliver(new Publication("ghost", Message.ofString("hi"), null))).isZero();
    }

    @Test
    void encodesOncePerProtocolAndReleasesAfterTheFanOut() {
        List<String> log = new ArrayList<>();
        FrameEncoder<String> encoder = new FrameEncoder<>() {
            @Override
            public String encode(Publication publication) {
                log.add("encode");
                return "frame";
            }

            @Override
            public void release(String frame) {
                log.add("release " + frame);
            }
        };
        for (int i = 0; i < 3; i++) {
            registry.add(new EncodingSession("c" + i, encoder, log));
        }

        assertThat(hub.deliver(new Publication("bob", Message.ofString("hi"), null))).isEqualTo(3);
        assertThat(log).containsExactly("encode", "took frame", "took frame", "took frame", "release frame");
    }

    /** A session that asks the delivery for its encoded frame, as a transport session does. */
    private record EncodingSession(String id, FrameEncoder<String> encoder, List<String> log) implements Session {
        @Override
        public String userId() {
            return "bob";
        }

        @Override
        public boolean deliver(Delivery delivery) {
            log.add("took " + delivery.frame(encoder));
            return true;
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
        public long expiresAtMillis() {
            return 0;
        }

        @Override
        public void deliverEvent(SessionEvent event) {
        }

        @Override
        public void ping() {
        }

        @Override
        public void close(int code, String reason) {
        }
    }
}
