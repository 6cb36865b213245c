package dev.turnlab.codec.dtls;

import io.netty.buffer.ByteBuf;

/**
 * What the first record header of a datagram says (RFC 6347 §4.1), read without consuming anything: enough
 * to drop what is not DTLS before an engine sees it, and to admit only a ClientHello from an unknown address.
 */
final class DtlsRecords {

    /** The record header: type, version, epoch, sequence number, length. */
    static final int HEADER = 13;
    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int HEARTBEAT = 24;
    private static final int HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;
    /** The high byte of every DTLS version (1.0 is 0xFEFF, 1.2 is 0xFEFD). */
    private static final int DTLS_VERSION_MAJOR = 0xFE;

    private DtlsRecords() {
    }

    /**
     * Whether {@code datagram} starts with a whole DTLS 1.x record header: a content type of RFC 6347
     * (RFC 7983 §7 sets DTLS apart from STUN, ChannelData and RTP by it) and a DTLS version.
     */
    static boolean isDtls(ByteBuf datagram) {
        int at = datagram.readerIndex();
        if (datagram.readableBytes() < HEADER) {
            return false;
        }
        int type = datagram.getUnsignedByte(at);
        return type >= CHANGE_CIPHER_SPEC && type <= HEARTBEAT && datagram.getUnsignedByte(at + 1) == DTLS_VERSION_MAJOR
                && HEADER + datagram.getUnsignedShort(at + 11) <= datagram.readableBytes();
    }

    /** Whether {@code datagram}, DTLS by {@link #isDtls}, starts with a ClientHello in epoch 0: an association's start. */
    static boolean isClientHello(ByteBuf datagram) {
        int at = datagram.readerIndex();
        return datagram.getUnsignedByte(at) == HANDSHAKE && datagram.getUnsignedShort(at + 3) == 0
                && datagram.readableBytes() > HEADER && datagram.getUnsignedByte(at + HEADER) == CLIENT_HELLO;
    }
}
