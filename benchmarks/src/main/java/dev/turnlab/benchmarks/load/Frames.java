package dev.turnlab.benchmarks.load;

import dev.turnlab.codec.MessageType;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.AttributeType;
import dev.turnlab.codec.attribute.XorPeerAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;

/**
 * The data path's framing as pure functions over buffers: ChannelData (RFC 8656 §12.4) and the Send and
 * Data indications (RFC 8656 §10), written and read in place so that no object is built per packet.
 */
final class Frames {

    /** The ChannelData header: channel number and length, 16 bits each (RFC 8656 §12.4). */
    static final int CHANNEL_DATA_HEADER = 4;

    private static final int SEND_INDICATION = MessageType.encode(Method.SEND, StunClass.INDICATION);
    private static final int DATA_INDICATION = MessageType.encode(Method.DATA, StunClass.INDICATION);
    private static final int DATA = AttributeType.DATA.code();

    private Frames() {
    }

    /** The bytes of a ChannelData message carrying {@code payload} bytes, padded to 4 on streams (RFC 8656 §12.5). */
    static int channelDataLength(int payload, boolean padToFour) {
        int length = CHANNEL_DATA_HEADER + payload;
        return padToFour ? (length + 3) & ~3 : length;
    }

    /** Writes a ChannelData header for {@code payload} bytes on {@code channel} (RFC 8656 §12.4). */
    static void writeChannelDataHeader(ByteBuf out, int channel, int payload) {
        out.writeShort(channel);
        out.writeShort(payload);
    }

    /** Writes the zero padding that rounds a ChannelData message up to 4 bytes on a stream (RFC 8656 §12.5). */
    static void writeStreamPadding(ByteBuf out, int payload) {
        out.writeZero(channelDataLength(payload, true) - CHANNEL_DATA_HEADER - payload);
    }

    /**
     * Whether the readable bytes start a ChannelData message: the top two bits are 0b01 (RFC 8656 §12,
     * RFC 7983). Consumes nothing.
     */
    static boolean isChannelData(ByteBuf in) {
        return in.readableBytes() >= CHANNEL_DATA_HEADER && (in.getByte(in.readerIndex()) & 0xC0) == 0x40;
    }

    /** The absolute index of a ChannelData message's payload, or -1 when its length field overruns the bytes. */
    static int channelDataPayload(ByteBuf in) {
        int start = in.readerIndex();
        int length = in.getUnsignedShort(start + 2);
        return CHANNEL_DATA_HEADER + length <= in.readableBytes() ? start + CHANNEL_DATA_HEADER : -1;
    }

    /** The length field of the ChannelData message at the reader index (RFC 8656 §12.4). */
    static int channelDataPayloadLength(ByteBuf in) {
        return in.getUnsignedShort(in.readerIndex() + 2);
    }

    /**
     * The fixed front of every Send indication of one session: the STUN header and XOR-PEER-ADDRESS,
     * encoded once by the codec (RFC 8656 §10.1). The transaction ID stays the session's: an indication
     * starts no transaction a server could match (RFC 8489 §6.1), and XOR-PEER-ADDRESS of an IPv6 peer is
     * XORed with it, so a fresh ID per packet would mean re-encoding the address per packet.
     */
    static byte[] sendIndicationPrefix(InetSocketAddress peer) {
        StunMessage prefix = StunMessage.indication(Method.SEND).add(new XorPeerAddress(peer)).build();
        ByteBuf buf = StunMessageCodec.encode(prefix, UnpooledByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /** The bytes of a Send indication made of {@code prefix} and a DATA attribute of {@code payload} bytes. */
    static int sendIndicationLength(byte[] prefix, int payload) {
        return prefix.length + 4 + ((payload + 3) & ~3);
    }

    /**
     * Writes a Send indication's prefix with its length field set, then the DATA attribute's header
     * (RFC 8656 §10.1, §18.4); the caller writes the {@code payload} bytes and then {@link #writeDataPadding}.
     */
    static void writeSendIndicationHead(ByteBuf out, byte[] prefix, int payload) {
        int start = out.writerIndex();
        out.writeBytes(prefix);
        out.setShort(start + 2, sendIndicationLength(prefix, payload) - StunMessageCodec.HEADER_LENGTH);
        out.writeShort(DATA);
        out.writeShort(payload);
    }

    /** Writes the padding after a DATA value of {@code payload} bytes (RFC 8489 §14). */
    static void writeDataPadding(ByteBuf out, int payload) {
        out.writeZero(((payload + 3) & ~3) - payload);
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
