package dev.switchboard.transport.plain;

import dev.switchboard.core.Publication;
import dev.switchboard.hub.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Encodes a publication for plain-mode connections: the message's text, in one direct buffer that
 * every plain connection of the user shares (each takes a retained duplicate).
 */
final class PlainEncoder implements FrameEncoder<ByteBuf> {
    private final ByteBufAllocator alloc;

    PlainEncoder(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    @Override
    public ByteBuf encode(Publication publication) {
        byte[] text = publication.message().text();
        return alloc.directBuffer(text.length, text.length).writeBytes(text);
    }

    @Override
    public void release(ByteBuf frame) {
        frame.release();
    }
}
