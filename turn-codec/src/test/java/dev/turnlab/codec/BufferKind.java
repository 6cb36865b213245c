package dev.turnlab.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;

/** The kinds of buffer a codec meets in a pipeline, so properties run against each; the caller releases what it gets. */
public enum BufferKind {
    /** A heap buffer backed by an array the codec can read directly. */
    UNPOOLED_HEAP,
    /** A pooled direct buffer, as a Netty transport delivers. */
    POOLED_DIRECT,
    /** A pooled heap buffer. */
    POOLED_HEAP,
    /** A composite of two components, so no single array or NIO buffer holds the message. */
    COMPOSITE;

    /** An empty buffer of this kind to encode into. */
    public ByteBuf allocate() {
        return switch (this) {
            case UNPOOLED_HEAP -> Unpooled.buffer();
            case POOLED_DIRECT -> PooledByteBufAllocator.DEFAULT.directBuffer();
            case POOLED_HEAP -> PooledByteBufAllocator.DEFAULT.heapBuffer();
            case COMPOSITE -> Unpooled.compositeBuffer();
        };
    }

    /** A buffer of this kind holding a copy of {@code bytes}, readable from index 0. */
    public ByteBuf copyOf(byte[] bytes) {
        if (this == COMPOSITE) {
            int half = bytes.length / 2;
            return Unpooled.compositeBuffer().addComponents(true,
                    Unpooled.copiedBuffer(bytes, 0, half), Unpooled.copiedBuffer(bytes, half, bytes.length - half));
        }
        return allocate().writeBytes(bytes);
    }
}
