package dev.switchboard.transport.v1;

import dev.switchboard.core.Publication;
import dev.switchboard.hub.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Encodes a publication once for all of a user's {@code switchboard.v1} connections. */
final class EnvelopeEncoder implements FrameEncoder<ByteBuf> {
    private final ByteBufAllocator alloc;

    EnvelopeEncoder(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    @Override
    public ByteBuf encode(Publication publication) {
        return EnvelopeFrames.message(alloc, publication);
    }

    @Override
    public void release(ByteBuf frame) {
        frame.release();
    }
}
