package dev.switchboard.node;

import dev.switchboard.broker.BrokerListener;
import dev.switchboard.core.CloseCodes;
import dev.switchboard.core.Forwarded;
import dev.switchboard.core.Publication;
import dev.switchboard.hub.Hub;
import dev.switchboard.hub.Session;
import dev.switchboard.hub.SessionEvent;
import dev.switchboard.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the broker brings a node — publications, other nodes' presence, receipts, disconnects and
 * forwarded requests, and news of an outage — acted on through the hub: one delivery path for local and remote alike.
 * Thread-safe; called on the broker's threads, never blocks.
 */
final class NodeListener implements BrokerListener {
    /** The close reason of a resumable connection that missed messages while the broker was away. */
    static final String MISSED_REASON = "messages were missed during a broker outage; reconnect to recover them";
    private static final Logger log = LoggerFactory.getLogger(NodeListener.class);

    private final Hub hub;
    private final Metrics metrics;
    private final Supplier<Node.ForwardedRequests> forwarded;

    NodeListener(Hub hub, Metrics metrics, Supplier<Node.ForwardedRequests> forwarded) {
        this.hub = hub;
        this.metrics = metrics;
        this.forwarded = forwarded;
    }

    @Override
    public void onForwarded(String connectionId, String userId, byte[] request, Consumer<Forwarded> answer) {
        Node.ForwardedRequests handler = forwarded.get();
        if (handler == null) {
            answer.accept(Forwarded.notHeld());
        } else {
            handler.run(connectionId, userId, request, answer);
        }
    }

    @Override
    public int onPublication(Publication publication) {
        return hub.deliver(publication);
    }

    @Override
    public void onPresence(String userId, int total) {
        announcePresence(hub, userId, total, null);
    }

    @Override
    public void onReceipt(Publication.ReceiptRequest request, String to, long seq, String recipientConnectionId) {
        deliverReceipt(hub, request, to, seq, recipientConnectionId);
    }

    @Override
    public int onDisconnect(String userId, int code, String reason) {
        Session[] sessions = hub.sessions(userId);
        for (Session session : sessions) {
            session.close(code, reason);
        }
        return sessions.length;
    }

    /**
     * Resumable (v1) connections of the users that missed messages are closed, so their clients
     * resume and recover; plain ones are kept (their clients cannot resume, and do not reconnect),
     * and what they may have missed is counted. One log line per outage.
     */
    @Override
    public void onMissed(Map<String, Long> missed) {
        int resumed = 0;
        int kept = 0;
        long keptMissed = 0;
        for (Map.Entry<String, Long> user : missed.entrySet()) {
            for (Session session : hub.sessions(user.getKey())) {
                if (session.resumable()) {
                    session.close(CloseCodes.SERVICE_RESTART, MISSED_REASON);
                    resumed++;
                } else {
                    kept++;
                    keptMissed += user.getValue();
                }
            }
        }
        metrics.missedDuringOutage(keptMissed);
        log.warn("after a broker outage, {} user(s) had missed messages: {} switchboard.v1 connection(s) were"
                + " closed (1012) to resume and recover them; {} plain connection(s) were kept and may have missed"
                + " {} message(s) in all", missed.size(), resumed, kept, keptMissed);
    }

    /** Tells the user's connections on this node, except {@code changed}, that the user has {@code total} connections. */
    static void announcePresence(Hub hub, String userId, int total, Session changed) {
        SessionEvent event = new SessionEvent.Presence(userId, total > 0, total);
        for (Session session : hub.sessions(userId)) {
            if (session != changed) {
                session.deliverEvent(event);
            }
        }
    }

    /** Hands a receipt to the sending connection if it is on this node. */
    static boolean deliverReceipt(Hub hub, Publication.ReceiptRequest request, String to, long seq,
                                  String recipientConnectionId) {
        Session sender = hub.byId(request.connectionId());
        if (sender == null) {
            return false;
        }
        sender.deliverEvent(new SessionEvent.Receipt(request.requestId(), to, seq, recipientConnectionId));
        return true;
    }
}
