package dev.turnlab.codec.netty;

import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.codec.StunCodecException;
import dev.turnlab.codec.StunMessageCodec;
import io.netty.buffer.ByteBuf;

/**
 * Where frames end on a TCP or TLS stream that carries STUN messages and ChannelData: the first two
 * bits tell which (00 STUN, 01 ChannelData: RFC 8656 §12.5), and the length field of each tells how
 * long it is (RFC 8489 §6.2.2). Both lengths have 16 bits, which bounds a frame.
 */
final class StreamFraming {

    /** Both kinds of frame give their length in bytes 2-3. */
    private static final int LENGTH_KNOWN_AFTER = 4;

    private StreamFraming() {
    }

    /**
     * The length of the frame at the reader index, or -1 while too few bytes are readable to know
     * it. Throws {@link StunCodecException} when the bytes cannot start a frame: first two bits 10
     * or 11. Consumes nothing.
     */
    static int frameLength(ByteBuf in) {
        if (!in.isReadable()) {
            return -1;
        }
        int first = in.getUnsignedByte(in.readerIndex());
        switch (first >>> 6) {
            case 0:
                if (in.readableBytes() < LENGTH_KNOWN_AFTER) {
                    return -1;
                }
                return StunMessageCodec.HEADER_LENGTH + in.getUnsignedShort(in.readerIndex() + 2);
            case 1:
                if (in.readableBytes() < LENGTH_KNOWN_AFTER) {
                    return -1;
                }
                // Framed whatever the channel number: one in the reserved range is discarded by
                // the decoder (RFC 8656 §12.6), and the frame after it still has to be found.
                int length = in.getUnsignedShort(in.readerIndex() + 2);
                return ChannelDataCodec.HEADER_LENGTH + length + ChannelDataCodec.padding(length);
            default:
                throw new StunCodecException(String.format("neither STUN nor ChannelData: first byte 0x%02X", first));
        }
    }

    /** Whether the frame at the reader index is ChannelData on a reserved channel, 0x5000-0x7FFF (RFC 8656 §12). */
    static boolean isReservedChannel(ByteBuf in) {
        return in.getUnsignedByte(in.readerIndex()) >>> 6 == 1 && !ChannelDataCodec.isChannelData(in);
    }
}
