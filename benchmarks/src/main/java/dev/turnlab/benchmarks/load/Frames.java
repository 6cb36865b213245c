package dev.turnlab.benchmarks.load;

import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.codec.MessageType;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.AttributeType;
import io.netty.buffer.ByteBuf;

/**
 * The data path's framing read in place, so that no object is built per packet: the ChannelData messages of
 * a datagram (RFC 8656 §12.4; headers are written by {@link ChannelDataCodec}) and the Data indications
 * (RFC 8656 §11.3; Send indications are written by the codec's {@code IndicationHeader}).
 */
final class Frames {

    private static final int DATA_INDICATION = MessageType.encode(Method.DATA, StunClass.INDICATION);
    private static final int DATA = AttributeType.DATA.code();

    private Frames() {
    }

    /** The bytes of a ChannelData message carrying {@code payload} bytes, padded to 4 on streams (RFC 8656 §12.5). */
    static int channelDataLength(int payload, boolean padToFour) {
        return ChannelDataCodec.HEADER_LENGTH + payload + (padToFour ? ChannelDataCodec.padding(payload) : 0);
    }

    /** The absolute index of a ChannelData message's payload, or -1 when its length field overruns the bytes. */
    static int channelDataPayload(ByteBuf in) {
        int header = ChannelDataCodec.HEADER_LENGTH;
        if (in.readableBytes() < header) {
            return -1;
        }
        int start = in.readerIndex();
        return header + in.getUnsignedShort(start + 2) <= in.readableBytes() ? start + header : -1;
    }

    /** The length field of the ChannelData message at the reader index (RFC 8656 §12.4). */
    static int channelDataPayloadLength(ByteBuf in) {
        return in.getUnsignedShort(in.readerIndex() + 2);
    }

    /** Whether the STUN message at the reader index is a Data indication (RFC 8656 §10.3). Consumes nothing. */
    static boolean isDataIndication(ByteBuf in) {
        int i = in.readerIndex();
        return in.readableBytes() >= StunMessageCodec.HEADER_LENGTH && in.getUnsignedShort(i) == DATA_INDICATION
                && in.getInt(i + 4) == StunMessageCodec.MAGIC_COOKIE;
    }

    /**
     * Finds the DATA attribute of the Data indication at the reader index by walking the attribute headers
     * (RFC 8489 §14): returns the absolute index of its value and writes nothing; -1 when it is absent or
     * an attribute overruns the message. The value's length is at the returned index minus two.
     */
    static int dataIndicationPayload(ByteBuf in) {
        int start = in.readerIndex();
        int end = start + Math.min(in.readableBytes(), StunMessageCodec.HEADER_LENGTH + in.getUnsignedShort(start + 2));
        int i = start + StunMessageCodec.HEADER_LENGTH;
        while (i + 4 <= end) {
            int type = in.getUnsignedShort(i);
            int length = in.getUnsignedShort(i + 2);
            if (i + 4 + length > end) {
                return -1;
            }
            if (type == DATA) {
                return i + 4;
            }
            i += 4 + ((length + 3) & ~3);
        }
        return -1;
    }
}
