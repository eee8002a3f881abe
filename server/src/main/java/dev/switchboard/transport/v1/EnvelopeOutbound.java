package dev.switchboard.transport.v1;

import dev.switchboard.transport.NettySession;
import dev.switchboard.transport.WireProtocol;

import dev.switchboard.core.Publication;
import dev.switchboard.core.Recovery;
import dev.switchboard.hub.Delivery;
import dev.switchboard.hub.SessionEvent;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code switchboard.v1} connection has been sent: the stream position it has reached, the
 * messages whose receipts it may still confirm, and — until its welcome is out — what arrived
 * meanwhile.
 *
 * <p>The sequence that makes recovery exact: the session is registered (so live publications
 * start arriving here), then the broker's history is read; until {@link #start} runs, live
 * publications and events are held back. {@code start} writes the welcome, the missed messages,
 * then the held-back ones that are newer than the last one written — in seq order, each once. After
 * that, publications flow straight through, and any seq already written is dropped.
 *
 * <p>Not thread-safe on its own: deliveries come from publishing threads, {@code start} from
 * whatever thread read the history, confirmations from the event loop, and every call is made
 * under its {@link NettySession}'s lock. It only appends frames to the session's batcher; when the
 * stream was reset under the connection it says so ({@link Result#RESET}) and the session is closed
 * after its lock is let go.
 */
final class EnvelopeOutbound implements WireProtocol.Outbound {
    /** Receipts a connection can still confirm; the oldest are forgotten beyond this. */
    static final int MAX_PENDING_RECEIPTS = 1024;

    private final EnvelopeEncoder encoder;
    private List<Object> heldBack = new ArrayList<>();
    /** The message bytes held back, bounded by the connection's {@link NettySession#maxQueuedBytes()}. */
    private long heldBackBytes;
    private long lastSeq;
    private String epoch;
    private final Map<Long, Publication.ReceiptRequest> receipts =
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Publication.ReceiptRequest> eldest) {
                    return size() > MAX_PENDING_RECEIPTS;
                }
            };

    EnvelopeOutbound(EnvelopeEncoder encoder) {
        this.encoder = encoder;
    }

    /** Queues a live publication (or holds it back until the welcome). */
    @Override
    public Result deliver(NettySession session, Delivery delivery) {
        Publication publication = delivery.publication();
        if (heldBack != null) {
            heldBackBytes += publication.message().text().length;
            if (heldBackBytes > session.maxQueuedBytes()) {
                return Result.OVERFLOW;
            }
            heldBack.add(publication);
            return Result.QUEUED;
        }
        if (reset(publication)) {
            return Result.RESET;
        }
        if (publication.seq() > lastSeq) { // else already written during recovery
            write(session, publication, delivery.frame(encoder).retainedDuplicate());
        }
        return Result.QUEUED;
    }

    @Override
    public boolean resumable() {
        return true;
    }

    /** Queues an event (or holds it back until the welcome). */
    @Override
    public void deliverEvent(NettySession session, SessionEvent event) {
        if (heldBack != null) {
            heldBack.add(event);
        } else {
            session.send(encodeEvent(session, event));
        }
    }

    /**
     * Writes the welcome, the recovered messages, and what was held back; from then on the
     * connection is live.
     *
     * @param resumed whether the client asked to resume ({@code ?since=&epoch=})
     * @return {@link Result#RESET} if a held-back publication shows the stream was reset meanwhile
     */
    Result start(NettySession session, Recovery recovery, boolean resumed) {
        List<Object> held = heldBack;
        heldBack = null;
        heldBackBytes = 0;
        List<Publication> replay = recovery.missed();
        // The seq the client is at once the welcome is read: what follows starts after it.
        long base = recovery.position().seq();
        if (!replay.isEmpty()) {
            base = replay.get(0).seq() - 1;
        } else if (!recovery.recovered()) {
            // The stream's seq when this connection was registered: the first live message follows it.
            for (Object item : held) {
                if (item instanceof Publication p) {
                    base = Math.min(base, p.seq() - 1);
                    break;
                }
            }
        }
        long welcomeSeq = recovery.recovered() ? recovery.position().seq() : base;
        session.send(EnvelopeFrames.welcome(session.channel().alloc(), session.id(), session.userId(),
                new dev.switchboard.core.StreamPosition(welcomeSeq, recovery.position().epoch()),
                resumed, recovery.recovered(), replay.size()));
        lastSeq = base;
        epoch = recovery.position().epoch();
        for (Publication missed : recovery.missed()) {
            write(session, missed, EnvelopeFrames.message(session.channel().alloc(), missed));
        }
        for (Object item : held) {
            if (item instanceof Publication p) {
                if (reset(p)) {
                    return Result.RESET;
                }
                if (p.seq() > lastSeq) {
                    write(session, p, EnvelopeFrames.message(session.channel().alloc(), p));
                }
            } else {
                session.send(encodeEvent(session, (SessionEvent) item));
            }
        }
        return Result.QUEUED;
    }

    /**
     * The recipient confirmed {@code seq}: where its receipt goes, once; {@code null} if the message
     * asked for none, was confirmed already, or is too old.
     */
    Publication.ReceiptRequest confirm(long seq) {
        return receipts.remove(seq);
    }

    /**
     * A publication of another epoch means the stream was reset under this connection (a cluster's
     * Redis lost its data): its seqs would collide with the ones written, so the client must
     * reconnect (1012) and learn the new epoch from its welcome.
     */
    private boolean reset(Publication publication) {
        return epoch != null && publication.epoch() != null && !epoch.equals(publication.epoch());
    }

    private void write(NettySession session, Publication publication, ByteBuf frame) {
        lastSeq = publication.seq();
        if (publication.wantsReceipt()) {
            receipts.put(publication.seq(), publication.receipt());
        }
        session.send(new MessageFrame(frame, epoch, publication.seq()));
    }

    private static TextWebSocketFrame encodeEvent(NettySession session, SessionEvent event) {
        if (event instanceof SessionEvent.Presence presence) {
            return EnvelopeFrames.presence(session.channel().alloc(), null, presence.userId(), presence.online(),
                    presence.connections());
        }
        SessionEvent.Receipt receipt = (SessionEvent.Receipt) event;
        return EnvelopeFrames.receipt(session.channel().alloc(), receipt.requestId(), receipt.to(), receipt.seq(),
                receipt.connectionId());
    }
}
