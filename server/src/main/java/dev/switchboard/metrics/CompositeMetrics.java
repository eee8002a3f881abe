package dev.switchboard.metrics;

import dev.switchboard.core.ErrorCode;

/** Two {@link Metrics} fed the same calls, in order: the Micrometer meters and the dashboard's live stats. */
final class CompositeMetrics implements Metrics {
    private final Metrics first;
    private final Metrics second;

    CompositeMetrics(Metrics first, Metrics second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public void missedDuringOutage(long messages) {
        first.missedDuringOutage(messages);
        second.missedDuringOutage(messages);
    }

    @Override
    public void frameReceived() {
        first.frameReceived();
        second.frameReceived();
    }

    @Override
    public void messageRouted(int delivered, long routeNanos) {
        first.messageRouted(delivered, routeNanos);
        second.messageRouted(delivered, routeNanos);
    }

    @Override
    public void error(ErrorCode code) {
        first.error(code);
        second.error(code);
    }

    @Override
    public void handshakeRejected(int status) {
        first.handshakeRejected(status);
        second.handshakeRejected(status);
    }

    @Override
    public void serverClose(int closeCode) {
        first.serverClose(closeCode);
        second.serverClose(closeCode);
    }

    @Override
    public void connectionOpened(String connectionId, String userId) {
        first.connectionOpened(connectionId, userId);
        second.connectionOpened(connectionId, userId);
    }

    @Override
    public void connectionClosed(String connectionId, String userId, int closeCode) {
        first.connectionClosed(connectionId, userId, closeCode);
        second.connectionClosed(connectionId, userId, closeCode);
    }
}
