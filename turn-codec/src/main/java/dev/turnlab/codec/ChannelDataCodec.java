package dev.turnlab.codec;

import dev.turnlab.codec.attribute.AttributeCodec;
import dev.turnlab.codec.attribute.ChannelNumber;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Pure functions from bytes to {@link ChannelData} and back (RFC 8656 §12.4, §12.5). The data is
 * never parsed, and the decoder shares the input's memory instead of copying it. None of these
 * functions releases the buffer it is given.
 */
public final class ChannelDataCodec {

    /** Length of the ChannelData header: channel number and length, 16 bits each (RFC 8656 §12.4). */
    public static final int HEADER_LENGTH = 4;
    /**
     * The highest channel number framed: RFC 5766 §11 allowed 0x4000-0x7FFF and deployed clients
     * (coturn's turnutils_uclient among them) still bind such channels; RFC 8656 §12 narrowed new
     * bindings to 0x4FFF ({@link ChannelNumber#isValid()}). Which numbers to bind is the server's
     * choice; the codec frames the whole range so that such clients are not cut off.
     */
    public static final int MAX_CHANNEL_NUMBER = 0x7FFF;
    /** The longest ChannelData frame on a stream: header, 65535 bytes of data, 1 byte of padding. */
    public static final int MAX_FRAME_LENGTH = HEADER_LENGTH + ChannelData.MAX_DATA_LENGTH + 1;

    private ChannelDataCodec() {
    }

    /**
     * Whether the readable bytes start like a ChannelData message: a first byte of 64-127, first two
     * bits 01 (RFC 8656 §12.5); RFC 7983 §7 gives 64-79 to TURN channels, RFC 5766 used up to 127.
     * Consumes nothing.
     */
    public static boolean isChannelData(ByteBuf buf) {
        return PacketKind.of(buf) == PacketKind.CHANNEL_DATA;
    }

    /**
     * Decodes the ChannelData message at the reader index, advancing it past the header and the
     * data; bytes after the data (padding, RFC 8656 §12.5) stay unread. The message holds a retained
     * slice of {@code in}: no copy. Throws {@link StunCodecException} for a header shorter than
     * four bytes, a channel number outside 0x4000-0x7FFF or a length beyond the readable bytes,
     * and then leaves the reader index where it was.
     */
    public static ChannelData decode(ByteBuf in) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable < HEADER_LENGTH) {
            throw new StunCodecException("truncated ChannelData header: " + readable + " bytes (expected: at least 4)");
        }
        int channelNumber = in.getUnsignedShort(start);
        checkChannelNumber(channelNumber);
        int length = in.getUnsignedShort(start + 2);
        if (length > readable - HEADER_LENGTH) {
            throw new StunCodecException("bad ChannelData length: header says " + length + " bytes of data, "
                    + (readable - HEADER_LENGTH) + " present");
        }
        ByteBuf data = in.retainedSlice(start + HEADER_LENGTH, length);
        in.readerIndex(start + HEADER_LENGTH + length);
        return new ChannelData(channelNumber, data);
    }

    private static void checkChannelNumber(int channelNumber) {
        if (channelNumber < ChannelNumber.MIN || channelNumber > MAX_CHANNEL_NUMBER) {
            throw new StunCodecException(String.format("channel number 0x%04X outside 0x4000-0x7FFF", channelNumber));
        }
    }

    /**
     * The length of the ChannelData frame at the reader index of a stream: header, data and padding
     * to a multiple of four bytes (RFC 8656 §12.5), or -1 while fewer than four bytes are readable.
     * Throws {@link StunCodecException} when the channel number is outside 0x4000-0x7FFF, since the
     * stream then has no usable framing. Consumes nothing.
     */
    public static int frameLength(ByteBuf in) {
        if (in.readableBytes() < HEADER_LENGTH) {
            return -1;
        }
        int start = in.readerIndex();
        checkChannelNumber(in.getUnsignedShort(start));
        int length = in.getUnsignedShort(start + 2);
        return HEADER_LENGTH + length + padding(length);
    }

    /** The padding that brings {@code length} to a multiple of four bytes, as streams require (RFC 8656 §12.5). */
    public static int padding(int length) {
        return AttributeCodec.padding(length);
    }

    /** Writes the four-byte header for {@code length} bytes of data on {@code channelNumber} (RFC 8656 §12.4). */
    public static void writeHeader(int channelNumber, int length, ByteBuf out) {
        if (channelNumber < ChannelNumber.MIN || channelNumber > MAX_CHANNEL_NUMBER) {
            throw new IllegalArgumentException(String.format("channelNumber: 0x%04X (expected: 0x4000-0x7FFF)", channelNumber));
        }
        if (length < 0 || length > ChannelData.MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("length: " + length + " (expected: 0-65535)");
        }
        out.writeShort(channelNumber);
        out.writeShort(length);
    }

    /**
     * Encodes {@code message} into one new buffer from {@code alloc}, padded to a multiple of four
     * bytes if {@code padToFour} (required on streams, optional on UDP: RFC 8656 §12.5).
     *
     * <p>The data is copied behind the header rather than joined to it in a composite buffer: relayed
     * packets are small (one MTU, usually far less), so one memory copy costs less than a composite's
     * extra objects, and the NIO datagram transport would copy a composite into one direct buffer
     * anyway. The buffer is an I/O buffer (direct when the allocator prefers it) for the same reason.
     */
    public static ByteBuf encode(ChannelData message, ByteBufAllocator alloc, boolean padToFour) {
        ByteBuf out = alloc.ioBuffer(encodedLength(message, padToFour));
        try {
            encode(message, out, padToFour);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** Appends {@code message} to {@code out}: header, data, then zero padding if {@code padToFour}. */
    public static void encode(ChannelData message, ByteBuf out, boolean padToFour) {
        ByteBuf data = message.content();
        int length = data.readableBytes();
        writeHeader(message.channelNumber(), length, out);
        out.writeBytes(data, data.readerIndex(), length);
        if (padToFour) {
            out.writeZero(padding(length));
        }
    }

    /** The number of bytes {@link #encode} writes for {@code message}. */
    public static int encodedLength(ChannelData message, boolean padToFour) {
        int length = message.content().readableBytes();
        return HEADER_LENGTH + length + (padToFour ? padding(length) : 0);
    }
}
