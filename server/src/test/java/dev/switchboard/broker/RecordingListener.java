package dev.switchboard.broker;

import dev.switchboard.core.Forwarded;
import dev.switchboard.core.Publication;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A {@link BrokerListener} standing in for a node's hub: it records what arrives and answers with
 * a settable number of connections.
 */
public final class RecordingListener implements BrokerListener {
    public final List<Publication> publications = Collections.synchronizedList(new ArrayList<>());
    public final List<String> presence = Collections.synchronizedList(new ArrayList<>());
    public final List<String> receipts = Collections.synchronizedList(new ArrayList<>());
    public final List<String> disconnects = Collections.synchronizedList(new ArrayList<>());
    public final List<Map<String, Long>> missed = Collections.synchronizedList(new ArrayList<>());
    public final List<String> forwarded = Collections.synchronizedList(new ArrayList<>());
    public volatile int connectionsHere = 1;
    /** How a forwarded request is answered; {@code null}: it is not answered at all. */
    public volatile Forwarded forwardAnswer = Forwarded.notHeld();
    /** Thrown by {@link #onForwarded} when set, as a node that cannot run it would. */
    public volatile RuntimeException forwardFailure;

    @Override
    public int onPublication(Publication publication) {
        publications.add(publication);
        return connectionsHere;
    }

    @Override
    public void onPresence(String userId, int connections) {
        presence.add(userId + "=" + connections);
    }

    @Override
    public void onReceipt(Publication.ReceiptRequest request, String to, long seq, String recipientConnectionId) {
        receipts.add(request.connectionId() + "/" + request.requestId() + ":" + to + "#" + seq + "@" + recipientConnectionId);
    }

    @Override
    public int onDisconnect(String userId, int code, String reason) {
        disconnects.add(userId + ":" + code);
        return connectionsHere;
    }

    @Override
    public void onForwarded(String connectionId, String userId, byte[] request, Consumer<Forwarded> answer) {
        forwarded.add(connectionId + "/" + userId + ":" + new String(request, java.nio.charset.StandardCharsets.UTF_8));
        if (forwardFailure != null) {
            throw forwardFailure;
        }
        Forwarded reply = forwardAnswer;
        if (reply != null) {
            answer.accept(reply);
        }
    }

    @Override
    public void onMissed(Map<String, Long> users) {
        missed.add(Map.copyOf(users));
    }

    /** The texts of the publications received, in order. */
    public List<String> texts() {
        synchronized (publications) {
            List<String> texts = new ArrayList<>();
            for (Publication p : publications) {
                texts.add(new String(p.message().text(), java.nio.charset.StandardCharsets.UTF_8));
            }
            return texts;
        }
    }
}
