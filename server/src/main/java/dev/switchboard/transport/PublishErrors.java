package dev.switchboard.transport;

import dev.switchboard.core.BrokerUnavailableException;
import dev.switchboard.core.ErrorCode;

/**
 * The error a client gets when the node could not do what it asked of the broker: {@code
 * unavailable} when nothing was sent (a cluster node without Redis), so a retry is safe; else
 * {@code internal_error}, since the request may have taken effect.
 */
final class PublishErrors {
    private PublishErrors() {
    }

    static ErrorCode code(Throwable error) {
        return BrokerUnavailableException.is(error) ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL_ERROR;
    }

    /** The text for a failed send. */
    static String sendText(Throwable error) {
        return BrokerUnavailableException.is(error)
                ? "this node cannot reach its cluster's broker, so nothing was sent; try again later or on another node"
                : "the message could not be routed; try again";
    }

    /** The text for a failed presence query. */
    static String presenceText(Throwable error) {
        return BrokerUnavailableException.is(error)
                ? "this node cannot reach its cluster's broker; try again later or on another node"
                : "presence is unavailable; try again";
    }
}
