package dev.turnlab.benchmarks.load;

import dev.turnlab.codec.StunCodecException;
import dev.turnlab.codec.StunMessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts a TCP byte stream into STUN messages and ChannelData messages (RFC 8656 §12.5), each passed on
 * as a retained slice. Stands in for the codec's {@code StunStreamDecoder} until it lands on main.
 */
final class StreamFramer extends ByteToMessageDecoder {

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= Frames.CHANNEL_DATA_HEADER) {
            int first = in.getUnsignedByte(in.readerIndex()) & 0xC0;
            int length = in.getUnsignedShort(in.readerIndex() + 2);
            int frame;
            if (first == 0x40) {
                frame = Frames.channelDataLength(length, true);
            } else if (first == 0) {
                frame = StunMessageCodec.HEADER_LENGTH + length;
            } else {
                throw new StunCodecException(String.format("stream: first byte 0x%02X is neither STUN nor ChannelData",
                        in.getUnsignedByte(in.readerIndex())));
            }
            if (in.readableBytes() < frame) {
                return;
            }
            out.add(in.readRetainedSlice(frame));
        }
    }
}
