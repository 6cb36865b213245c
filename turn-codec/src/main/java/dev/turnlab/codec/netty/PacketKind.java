package dev.turnlab.codec.netty;

import io.netty.buffer.ByteBuf;

/** What a datagram is, told by its first byte as RFC 7983 §7 lays out the ranges. */
enum PacketKind {
    /** First byte 0-3: STUN (RFC 8489 §5). */
    STUN,
    /** First byte 64-79: TURN ChannelData (RFC 8656 §12.4). */
    CHANNEL_DATA,
    /** Any other first byte: ZRTP 16-19, DTLS 20-63, RTP/RTCP 128-191, or something we do not know. */
    OTHER,
    /** No first byte at all. */
    EMPTY;

    /** The kind of the readable bytes of {@code buf}; consumes nothing. */
    static PacketKind of(ByteBuf buf) {
        if (!buf.isReadable()) {
            return EMPTY;
        }
        int first = buf.getUnsignedByte(buf.readerIndex());
        if (first <= 3) {
            return STUN;
        }
        return first >= 64 && first <= 79 ? CHANNEL_DATA : OTHER;
    }
}
