package dev.turnlab.codec.netty;

import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Encodes {@link StunMessage} and {@link ChannelData} onto a TCP or TLS stream, ChannelData padded
 * to a multiple of four bytes as RFC 8656 §12.5 requires there. Every other message passes through.
 */
@Sharable
public final class StunStreamEncoder extends MessageToByteEncoder<Object> {

    /** An encoder; it holds no state, so one instance serves every connection. */
    public StunStreamEncoder() {
        super(Object.class);
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof StunMessage || msg instanceof ChannelData;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Object msg, boolean preferDirect) {
        // ChannelData's size is known exactly; a STUN message starts from the allocator's default.
        int capacity = msg instanceof ChannelData channelData ? ChannelDataCodec.encodedLength(channelData, true) : 256;
        return preferDirect ? ctx.alloc().ioBuffer(capacity) : ctx.alloc().heapBuffer(capacity);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
        if (msg instanceof ChannelData channelData) {
            ChannelDataCodec.encode(channelData, out, true);
        } else {
            StunMessageCodec.encode((StunMessage) msg, out);
        }
    }
}
