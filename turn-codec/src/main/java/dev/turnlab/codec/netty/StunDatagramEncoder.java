package dev.turnlab.codec.netty;

import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Encodes an {@code AddressedEnvelope} of a {@link StunMessage} or a {@link ChannelData} into a
 * {@link DatagramPacket} to the envelope's recipient. ChannelData goes unpadded, as RFC 8656 §12.5
 * allows on UDP. Every other message passes through untouched.
 */
@Sharable
public final class StunDatagramEncoder extends MessageToMessageEncoder<AddressedEnvelope<?, InetSocketAddress>> {

    /** An encoder; it holds no state, so one instance serves every channel. */
    public StunDatagramEncoder() {
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof AddressedEnvelope<?, ?> envelope
                && (envelope.content() instanceof StunMessage || envelope.content() instanceof ChannelData)
                && envelope.recipient() instanceof InetSocketAddress
                && (envelope.sender() == null || envelope.sender() instanceof InetSocketAddress);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, AddressedEnvelope<?, InetSocketAddress> envelope, List<Object> out) {
        ByteBuf bytes = envelope.content() instanceof ChannelData channelData
                ? ChannelDataCodec.encode(channelData, ctx.alloc(), false)
                : StunMessageCodec.encode((StunMessage) envelope.content(), ctx.alloc());
        out.add(new DatagramPacket(bytes, envelope.recipient(), envelope.sender()));
    }
}
