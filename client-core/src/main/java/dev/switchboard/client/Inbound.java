package dev.switchboard.client;

import java.util.Arrays;
import java.util.List;

/**
 * A frame from the server, read ({@link InboundParser}): one of the immutable values below. Two are
 * equal when they are of the same kind with equal parts.
 */
abstract class Inbound {
    private Inbound() {
    }

    /** What it is made of, in order. */
    abstract List<Object> parts();

    @Override
    public final boolean equals(Object other) {
        return other != null && other.getClass() == getClass() && parts().equals(((Inbound) other).parts());
    }

    @Override
    public final int hashCode() {
        return parts().hashCode();
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + parts();
    }

    /** Always the first frame of a connection. {@code recovered} is null unless the client asked to resume. */
    static final class Welcome extends Inbound {
        private final String connectionId;
        private final String userId;
        private final String epoch;
        private final long seq;
        private final Boolean recovered;
        private final int missed;

        Welcome(String connectionId, String userId, String epoch, long seq, Boolean recovered, int missed) {
            this.connectionId = connectionId;
            this.userId = userId;
            this.epoch = epoch;
            this.seq = seq;
            this.recovered = recovered;
            this.missed = missed;
        }

        String connectionId() {
            return connectionId;
        }

        String epoch() {
            return epoch;
        }

        long seq() {
            return seq;
        }

        Boolean recovered() {
            return recovered;
        }

        @Override
        List<Object> parts() {
            return Arrays.asList(connectionId, userId, epoch, seq, recovered, missed);
        }
    }

    /** A message to this client's user. */
    static final class Delivery extends Inbound {
        private final Message message;

        Delivery(Message message) {
            this.message = message;
        }

        Message message() {
            return message;
        }

        @Override
        List<Object> parts() {
            return Arrays.asList((Object) message);
        }
    }

    /** The answer to request {@code id}: an {@link Ack}, a {@link Presence}, or {@code null} for a pong. */
    static final class Answer extends Inbound {
        private final String id;
        private final Object value;

        Answer(String id, Object value) {
            this.id = id;
            this.value = value;
        }

        String id() {
            return id;
        }

        Object value() {
            return value;
        }

        @Override
        List<Object> parts() {
            return Arrays.asList(id, value);
        }
    }

    /** An error; {@code id} is the failed request's, or {@code null} when the server could not tell. */
    static final class Failure extends Inbound {
        private final String id;
        private final String code;
        private final String text;

        Failure(String id, String code, String text) {
            this.id = id;
            this.code = code;
            this.text = text;
        }

        String id() {
            return id;
        }

        String code() {
            return code;
        }

        String text() {
            return text;
        }

        @Override
        List<Object> parts() {
            return Arrays.asList(id, code, text);
        }
    }

    /** Something that happened: a {@link Receipt} or a {@link Presence} change. */
    static final class Event extends Inbound {
        private final Object value;

        Event(Object value) {
            this.value = value;
        }

        Object value() {
            return value;
        }

        @Override
        List<Object> parts() {
            return Arrays.asList(value);
        }
    }

    /** A frame type this client does not know; the protocol grows by adding, so it is skipped. */
    static final class Unknown extends Inbound {
        private final String type;

        Unknown(String type) {
            this.type = type;
        }

        @Override
        List<Object> parts() {
            return Arrays.asList((Object) type);
        }
    }
}
