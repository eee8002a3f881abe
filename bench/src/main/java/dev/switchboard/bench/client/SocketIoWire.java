package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Socket.IO v4 (engine.io protocol 4) over the websocket transport, the subset the bench needs:
 * open {@code 0{...}} → namespace connect {@code 40}, server ping {@code 2} → pong {@code 3}, events
 * {@code 42[...]}, acks {@code 43<id>[...]}. Sends are {@code 42<id>["message",{"userId","message"}]}
 * and pushes {@code 42["message","<payload>"]}.
 */
public final class SocketIoWire implements WireProtocol {

    public static final SocketIoWire INSTANCE = new SocketIoWire();

    private SocketIoWire() {
    }

    @Override
    public String name() {
        return "socketio";
    }

    @Override
    public String defaultPath() {
        return "/socket.io/";
    }

    @Override
    public String requestUri(String basePath, String userId) {
        String uri = basePath + "?EIO=4&transport=websocket";
        return userId == null ? uri : uri + "&userId=" + URLEncoder.encode(userId, StandardCharsets.UTF_8);
    }

    @Override
    public boolean readyAfterHandshake() {
        return false;
    }

    @Override
    public void encodeSend(ByteBuf out, String userId, long stampNanos, int payloadSize, long ackId) {
        out.writeCharSequence("42", StandardCharsets.US_ASCII);
        out.writeCharSequence(Long.toString(ackId), StandardCharsets.US_ASCII);
        out.writeCharSequence("[\"message\",{\"userId\":\"", StandardCharsets.US_ASCII);
        out.writeCharSequence(userId, StandardCharsets.US_ASCII);
        out.writeCharSequence("\",\"message\":\"", StandardCharsets.US_ASCII);
        Payloads.write(out, stampNanos, payloadSize);
        out.writeCharSequence("\"}]", StandardCharsets.US_ASCII);
    }

    @Override
    public void decode(ByteBuf text, boolean sendOnly, InboundSink sink) {
        int start = text.readerIndex();
        if (text.readableBytes() == 0) {
            return;
        }
        byte engineType = text.getByte(start);
        switch (engineType) {
            case '0': // engine.io open: join the default namespace
                sink.reply("40");
                return;
            case '2': // engine.io ping from the server
                sink.reply("3");
                return;
            case '4': // engine.io message carrying a socket.io packet
                decodeSocketIo(text, start + 1, sink);
                return;
            default: // close, noop, upgrade: nothing to do on a websocket-only session
        }
    }

    private static void decodeSocketIo(ByteBuf text, int at, InboundSink sink) {
        byte packetType = at < text.writerIndex() ? text.getByte(at) : 0;
        switch (packetType) {
            case '0':
                sink.ready();
                return;
            case '2':
                long stamp = Payloads.readStamp(text);
                if (stamp == Payloads.NO_STAMP) {
                    sink.error(text.toString(StandardCharsets.UTF_8));
                } else {
                    sink.delivery(stamp);
                }
                return;
            case '3':
                byte[] bytes = ByteBufUtil.getBytes(text);
                int args = text.indexOf(at, text.writerIndex(), (byte) '[') - text.readerIndex();
                int delivered = args < 0 ? AckJson.NOT_AN_ACK : AckJson.delivered(bytes, args);
                if (delivered == AckJson.NOT_AN_ACK) {
                    sink.error(new String(bytes, StandardCharsets.UTF_8));
                } else {
                    sink.ack(delivered);
                }
                return;
            default:
                sink.error(text.toString(StandardCharsets.UTF_8));
        }
    }
}
