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

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < StunMessageCodec.HEADER_LENGTH) {
            return;
        }
        if (!StunMessageCodec.isStun(in, true)) {
            throw new DecoderException("not a STUN message before the ConnectionBind success");
        }
        int length = StunMessageCodec.HEADER_LENGTH + in.getUnsignedShort(in.readerIndex() + 2);
        if (in.readableBytes() < length) {
            return;
        }
        // A malformed message throws StunCodecException, a DecoderException: the connection closes.
        StunMessage message = StunMessageCodec.decode(in.readSlice(length));
        out.add(message);
        if (message.stunClass() == StunClass.SUCCESS_RESPONSE) {
            // Deferred by Netty until the message has been handed on; what follows it goes on as bytes.
            ctx.pipeline().remove(this);
        }
    }
}
