package dev.switchboard.hub;

import dev.switchboard.core.Publication;

/**
 * A publication on its way to the connections of one user on this node, with the frames encoded
 * for it so far (one per wire protocol, encoded on first use).
 *
 * <p>Confined to the thread that delivers it: not thread-safe. A session that keeps an encoded
 * frame beyond {@link Session#deliver} must take its own reference, because the delivery releases
 * its frames when the fan-out ends.
 */
public final class Delivery {
    private final Publication publication;
    private FrameEncoder<?>[] encoders;
    private Object[] frames;
    private int size;

    public Delivery(Publication publication) {
        this.publication = publication;
    }

    public Publication publication() {
        return publication;
    }

    /** The frame for {@code encoder}'s protocol, encoded once per delivery. */
    @SuppressWarnings("unchecked")
    public <F> F frame(FrameEncoder<F> encoder) {
        for (int i = 0; i < size; i++) {
            if (encoders[i] == encoder) {
                return (F) frames[i];
            }
        }
        F frame = encoder.encode(publication);
        if (encoders == null) {
            encoders = new FrameEncoder<?>[2];
            frames = new Object[2];
        } else if (size == encoders.length) {
            encoders = java.util.Arrays.copyOf(encoders, size * 2);
            frames = java.util.Arrays.copyOf(frames, size * 2);
        }
        encoders[size] = encoder;
        frames[size] = frame;
        size++;
        return frame;
    }

    /** Releases every frame this delivery encoded. */
    void release() {
        for (int i = 0; i < size; i++) {
            releaseOne(encoders[i], frames[i]);
            frames[i] = null;
        }
        size = 0;
    }

    @SuppressWarnings("unchecked")
    private static <F> void releaseOne(FrameEncoder<F> encoder, Object frame) {
        encoder.release((F) frame);
    }
}
