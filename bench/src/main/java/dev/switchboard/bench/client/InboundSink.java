package dev.switchboard.bench.client;

/** What a {@link WireProtocol} reports after decoding one text frame a server sent. */
public interface InboundSink {

    /** The connection can now send and receive application messages. */
    void ready();

    /** The protocol needs an answer on the wire (Socket.IO: namespace connect, pong). */
    void reply(String text);

    /** A message pushed to this connection; {@code stampNanos} is the timestamp the sender embedded. */
    void delivery(long stampNanos);

    /** The server acknowledged one send and says it queued the message to {@code delivered} connections. */
    void ack(int delivered);

    /** The server rejected a send, or said something this client does not understand. */
    void error(String text);
}
