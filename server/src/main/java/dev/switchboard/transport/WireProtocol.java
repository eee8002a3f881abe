package dev.switchboard.transport;

/** The protocols a WebSocket client can speak, chosen by the subprotocol it offers. */
enum WireProtocol {
    /** No subprotocol: the seed's {@code {"userId","message"}} contract. */
    PLAIN(null),
    /** {@code switchboard.v1}: typed JSON envelopes, ordered streams, recovery, receipts, presence. */
    ENVELOPE("switchboard.v1");

    private final String subprotocol;

    WireProtocol(String subprotocol) {
        this.subprotocol = subprotocol;
    }

    String subprotocol() {
        return subprotocol;
    }

    /** The protocol for the subprotocol the handshake selected ({@code null}: none). */
    static WireProtocol forSubprotocol(String selected) {
        return ENVELOPE.subprotocol.equals(selected) ? ENVELOPE : PLAIN;
    }
}
