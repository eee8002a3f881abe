package dev.switchboard.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireProtocolTest {

    /** Records what a decoder reported, as short strings. */
    private static final class Recording implements InboundSink {
        final List<String> events = new ArrayList<>();

        @Override
        public void ready() {
            events.add("ready");
        }

        @Override
        public void reply(String text) {
            events.add("reply " + text);
        }

        @Override
        public void delivery(long stampNanos) {
            events.add("delivery " + stampNanos);
        }

        @Override
        public void ack(int delivered) {
            events.add("ack " + delivered);
        }

        @Override
        public void error(String text) {
            events.add("error " + text);
        }
    }

    private static List<String> decode(WireProtocol wire, String frame, boolean sendOnly) {
        Recording sink = new Recording();
        wire.decode(Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8), sendOnly, sink);
        return sink.events;
    }

    private static String encode(WireProtocol wire, String userId, long stamp, int size, long ackId) {
        ByteBuf out = Unpooled.buffer();
        wire.encodeSend(out, userId, stamp, size, ackId);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainSendCarriesAStampedPayloadOfTheRequestedSize() {
        String frame = encode(PlainWire.INSTANCE, "u7", 0x1234L, 20, 0);
        assertThat(frame).isEqualTo("{\"userId\":\"u7\",\"message\":\"~0000000000001234xxx\"}");
    }

    @Test
    void plainPushIsTheBareMessageAndItsStampIsRead() {
        assertThat(decode(PlainWire.INSTANCE, "~fffffffffffffffexx", false)).containsExactly("delivery -2");
    }

    @Test
    void plainAcksAreReadInJsonAndInTheSeedsChineseForm() {
        assertThat(decode(PlainWire.INSTANCE, "{\"userId\":\"u7\",\"delivered\":3}", true)).containsExactly("ack 3");
        assertThat(decode(PlainWire.INSTANCE, "已发送userId为u12的2个客户端", true)).containsExactly("ack 2");
        assertThat(decode(PlainWire.INSTANCE, "{\"error\":\"bad\",\"code\":\"invalid_json\"}", true))
                .containsExactly("error {\"error\":\"bad\",\"code\":\"invalid_json\"}");
    }

    @Test
    void plainUriRegistersTheUserOnlyWhenThereIsOne() {
        assertThat(PlainWire.INSTANCE.requestUri("/", "bob smith")).isEqualTo("/?userId=bob+smith");
        assertThat(PlainWire.INSTANCE.requestUri("/ws", null)).isEqualTo("/ws");
    }

    @Test
    void socketIoHandshakeJoinsTheNamespaceAndAnswersPings() {
        assertThat(decode(SocketIoWire.INSTANCE, "0{\"sid\":\"x\",\"pingInterval\":25000}", false)).containsExactly("reply 40");
        assertThat(decode(SocketIoWire.INSTANCE, "40{\"sid\":\"y\"}", false)).containsExactly("ready");
        assertThat(decode(SocketIoWire.INSTANCE, "2", false)).containsExactly("reply 3");
    }

    @Test
    void socketIoEventsAndAcksAreDecoded() {
        assertThat(encode(SocketIoWire.INSTANCE, "u1", 1, 17, 12))
                .isEqualTo("4212[\"message\",{\"userId\":\"u1\",\"message\":\"~0000000000000001\"}]");
        assertThat(decode(SocketIoWire.INSTANCE, "42[\"message\",\"~00000000000000ffxx\"]", false))
                .containsExactly("delivery 255");
        assertThat(decode(SocketIoWire.INSTANCE, "4312[{\"userId\":\"u1\",\"delivered\":4}]", true))
                .containsExactly("ack 4");
        assertThat(SocketIoWire.INSTANCE.requestUri("/socket.io/", "u1"))
                .isEqualTo("/socket.io/?EIO=4&transport=websocket&userId=u1");
    }
}
