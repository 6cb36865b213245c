package dev.turnlab.codec;

import io.netty.buffer.ByteBuf;

/** Test helpers for buffers. */
final class ByteBufs {

    private ByteBufs() {
    }

    /** The readable bytes, copied, indexes unchanged. */
    static byte[] bytes(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return b;
    }
}
