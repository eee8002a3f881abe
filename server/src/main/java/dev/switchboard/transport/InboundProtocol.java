package dev.switchboard.transport;

import io.netty.buffer.ByteBuf;

/** Handles the complete messages a client sends. Runs on the client's event loop; must not block. */
interface InboundProtocol {
    /** One complete text or binary message from {@code sender}; {@code content} is released by the caller. */
    void onMessage(NettySession sender, ByteBuf content);
}
