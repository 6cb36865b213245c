package dev.turnlab.client;

import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.util.List;

/**
 * The decoder of a client data connection (RFC 6062 §4.3): STUN responses until the ConnectionBind
 * success, then nothing, since the connection carries the peer's bytes from there on. It removes itself
 * after that success, and Netty hands the bytes already read after it on, undecoded, to the next
 * handler. Anything that is not STUN before then closes the connection.
 */
final class ConnectionBindDecoder extends ByteToMessageDecoder {

    private boolean broken; // after a failure, what follows is skipped while the connection closes

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < StunMessageCodec.HEADER_LENGTH) {
            return;
        }
        if (!StunMessageCodec.isStun(in, true)) {
            broken = true;
            throw new DecoderException("not a STUN message before the ConnectionBind success");
        }
        int length = StunMessageCodec.HEADER_LENGTH + in.getUnsignedShort(in.readerIndex() + 2);
        if (in.readableBytes() < length) {
            return;
        }
        StunMessage message;
        try {
            message = StunMessageCodec.decode(in.readSlice(length));
        } catch (DecoderException malformed) {
            broken = true;
            throw malformed;
        }
        out.add(message);
        if (message.stunClass() == StunClass.SUCCESS_RESPONSE) {
            // Deferred by Netty until the message has been handed on; what follows it goes on as bytes.
            ctx.pipeline().remove(this);
        }
    }
}
