package dev.turnlab.codec;

import io.netty.buffer.ByteBuf;

/**
 * What a datagram on a TURN server's port is, told by its first byte as RFC 7983 §7 lays out the ranges
 * (RFC 8656 §12): the one demultiplexer of the codec's datagram decoder and the server's UDP listener.
 */
public enum PacketKind {
    /** First byte 0-3: STUN (RFC 8489 §5). */
    STUN,
    /**
     * First byte 64-127: TURN ChannelData (RFC 8656 §12.4). RFC 7983 gives 64-79 to TURN channels; RFC 5766
     * channels up to 0x7FFF, still bound by deployed clients, start with 80-127.
     */
    CHANNEL_DATA,
    /** Any other first byte: ZRTP 16-19, DTLS 20-63, RTP/RTCP 128-191, or something we do not know. */
    OTHER,
    /** No first byte at all. */
    EMPTY;

    /** The kind of the readable bytes of {@code buf}, read in place: consumes nothing and allocates nothing. */
    public static PacketKind of(ByteBuf buf) {
        if (!buf.isReadable()) {
            return EMPTY;
        }
        int first = buf.getUnsignedByte(buf.readerIndex());
        if (first <= 3) {
            return STUN;
        }
        // The first two bits 01 of a channel number (0x4000-0x7FFF) are the first byte's.
        return first >>> 6 == 1 ? CHANNEL_DATA : OTHER;
    }
}
