package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed tutorial's contract, which Switchboard's plain mode keeps: {@code /?userId=ID}, sends are
 * {@code {"userId","message"}}, pushes are the bare message. Acks come as JSON
 * {@code {"userId","delivered":N}} (Switchboard, relay) or as the seed's Chinese sentence
 * {@code 已发送userId为bob的2个客户端}; both are understood.
 */
public final class PlainWire implements WireProtocol {

    public static final PlainWire INSTANCE = new PlainWire();

    private static final Pattern SEED_ACK = Pattern.compile("的(\\d+)个客户端");

    private PlainWire() {
    }

    @Override
    public String name() {
        return "plain";
    }

    @Override
    public String defaultPath() {
        return "/";
    }

    @Override
    public String requestUri(String basePath, String userId) {
        if (userId == null) {
            return basePath;
        }
        return basePath + "?userId=" + URLEncoder.encode(userId, StandardCharsets.UTF_8);
    }

    @Override
    public boolean readyAfterHandshake() {
        return true;
    }

    @Override
    public void encodeSend(ByteBuf out, String userId, long stampNanos, int payloadSize, long ackId) {
        out.writeCharSequence("{\"userId\":\"", StandardCharsets.US_ASCII);
        out.writeCharSequence(userId, StandardCharsets.US_ASCII);
        out.writeCharSequence("\",\"message\":\"", StandardCharsets.US_ASCII);
        Payloads.write(out, stampNanos, payloadSize);
        out.writeCharSequence("\"}", StandardCharsets.US_ASCII);
    }

    @Override
    public void decode(ByteBuf text, boolean sendOnly, InboundSink sink) {
        if (!sendOnly) {
            long stamp = Payloads.readStamp(text);
            if (stamp == Payloads.NO_STAMP) {
                sink.error(text.toString(StandardCharsets.UTF_8));
            } else {
                sink.delivery(stamp);
            }
            return;
        }
        byte[] bytes = ByteBufUtil.getBytes(text);
        int delivered = bytes.length > 0 && bytes[0] == '{'
                ? AckJson.delivered(bytes, 0)
                : seedAck(new String(bytes, StandardCharsets.UTF_8));
        if (delivered == AckJson.NOT_AN_ACK) {
            sink.error(new String(bytes, StandardCharsets.UTF_8));
        } else {
            sink.ack(delivered);
        }
    }

    private static int seedAck(String text) {
        Matcher m = SEED_ACK.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : AckJson.NOT_AN_ACK;
    }
}
