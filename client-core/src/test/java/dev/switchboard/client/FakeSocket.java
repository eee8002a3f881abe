package dev.switchboard.client;

import dev.switchboard.client.transport.TransportSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A hand-written {@link TransportSocket} that records what is asked of it. Not thread-safe. */
final class FakeSocket implements TransportSocket {
    long requested;
    boolean aborted;
    final List<String> sent = new ArrayList<>();

    @Override
    public String subprotocol() {
        return Handshake.SUBPROTOCOL;
    }

    @Override
    public CompletableFuture<Void> sendText(String text) {
        sent.add(text);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void request(long n) {
        requested += n;
    }

    @Override
    public CompletableFuture<Void> sendClose(int code, String reason) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void abort() {
        aborted = true;
    }
}
