package dev.turnlab.codec.dtls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

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
    private static final int DTLS_1_0 = 0xFEFF;
    /** The handshake message header before a ClientHello's client_version (RFC 6347 §4.2.2). */
    private static final int HANDSHAKE_HEADER = 12;
    private static final int ALERT = 21;
    private static final int FATAL = 2;
    private static final int PROTOCOL_VERSION = 70;

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

    /**
     * Whether a ClientHello (by {@link #isClientHello}) offers DTLS 1.0 at most: its client_version is DTLS 1.0's,
     * which RFC 8996 forbids negotiating (and the JDK has disabled).
     */
    static boolean offersDtls10Only(ByteBuf clientHello) {
        int version = clientHello.readerIndex() + HEADER + HANDSHAKE_HEADER;
        return clientHello.readableBytes() >= HEADER + HANDSHAKE_HEADER + 2 && clientHello.getUnsignedShort(version) == DTLS_1_0;
    }

    /**
     * A fatal protocol_version alert (RFC 5246 §7.4.1.2) in epoch 0 with DTLS 1.0's record version, the answer to a
     * DTLS 1.0 ClientHello that such a client reads (it drops records of other versions), so that it gives up at once
     * instead of retransmitting into silence. As short as it can be: no amplification.
     */
    static ByteBuf protocolVersionAlert(ByteBufAllocator alloc) {
        ByteBuf alert = alloc.buffer(HEADER + 2);
        alert.writeByte(ALERT).writeShort(DTLS_1_0).writeShort(0).writeMedium(0).writeMedium(0).writeShort(2);
        return alert.writeByte(FATAL).writeByte(PROTOCOL_VERSION);
    }
}
