package dev.switchboard.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends numbered messages to a user while the user's connections are being closed — some by the
 * client (a close frame), some by the server (a frame over the size limit: 1009; and the rest by
 * the server API's disconnect: 4003) — then checks each acknowledgement against what actually
 * arrived: {@code delivered} must equal the number of connections that received that message.
 * The recipients keep reading until the server's close frame, as RFC 6455 lets a closing client do.
 */
public final class ClosingRace {
    private static final int CONNECTIONS = 12;
    private static final int BATCH = 40;
    private static final int MESSAGES = 15 * BATCH;

    private ClosingRace() {
    }

    /**
     * @param senderPort where a send-only {@code switchboard.v1} sender connects
     * @param recipientPorts where the user's plain connections connect, round robin
     * @param disconnectAll closes the user's remaining connections from the server side
     * @param maxMessageBytes the server's frame limit, to make it close a connection with 1009
     */
    public static void run(int senderPort, List<Integer> recipientPorts, String user, Runnable disconnectAll,
                           int maxMessageBytes) throws Exception {
        List<JdkWebSocketClient> recipients = new ArrayList<>();
        try (V1Client sender = V1Client.connect(senderPort, null)) {
            for (int i = 0; i < CONNECTIONS; i++) {
                recipients.add(JdkWebSocketClient.connect(recipientPorts.get(i % recipientPorts.size()), user));
            }
            String tooBig = "x".repeat(maxMessageBytes + 1);
            Map<Integer, Long> delivered = new HashMap<>();
            // Batches of 40 sends; halfway through each, one connection starts closing, so its close
            // races the sends around it. Each batch waits for its acks and for that close to finish,
            // so the next batch surely has one connection fewer: the counts must step down.
            int batches = MESSAGES / BATCH;
            for (int batch = 0; batch < batches; batch++) {
                JdkWebSocketClient closing = batch < CONNECTIONS - 2 ? recipients.get(batch) : null;
                for (int k = 0; k < BATCH; k++) {
                    int i = batch * BATCH + k;
                    sender.send("s" + i, user, "\"m-" + i + "\"");
                    if (k == BATCH / 2 && closing != null) {
                        if (batch % 2 == 0) {
                            closing.startClose();
                        } else {
                            closing.sendAsync(tooBig);
                        }
                    }
                    if (batch == batches - 2 && k == BATCH / 2) {
                        disconnectAll.run();
                    }
                }
                for (int k = 0; k < BATCH; k++) {
                    V1Frame ack = sender.next("ack");
                    delivered.put(Integer.parseInt(ack.text("id").substring(1)), ack.number("delivered"));
                }
                if (closing != null) {
                    closing.closed().handle((status, error) -> null).get(Eventually.TIMEOUT.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            }
            for (JdkWebSocketClient recipient : recipients) {
                recipient.closed().handle((status, error) -> null).get(Eventually.TIMEOUT.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            List<String> mismatches = new ArrayList<>();
            java.util.Set<Long> counts = new java.util.TreeSet<>();
            for (int i = 0; i < MESSAGES; i++) {
                String text = "m-" + i;
                long received = recipients.stream().filter(r -> r.pending().contains(text)).count();
                counts.add(received);
                if (received != delivered.get(i)) {
                    mismatches.add(text + ": delivered " + delivered.get(i) + ", received by " + received);
                }
            }
            assertThat(mismatches).as("acknowledged counts that differ from what arrived").isEmpty();
            assertThat(counts).as("the counts stepped down as connections closed").hasSizeGreaterThan(CONNECTIONS / 2);
        } finally {
            recipients.forEach(JdkWebSocketClient::abort);
        }
    }
}
