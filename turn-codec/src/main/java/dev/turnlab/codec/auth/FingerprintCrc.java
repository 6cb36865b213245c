package dev.turnlab.codec.auth;

import io.netty.buffer.ByteBuf;
import java.util.zip.CRC32;

/** The FINGERPRINT value (RFC 8489 §14.7): CRC-32 (as in ISO/IEC 13239) XOR 0x5354554e. */
public final class FingerprintCrc {

    /** The constant XOR'ed with the CRC, "STUN" in ASCII. */
    public static final int XOR = 0x5354554e;

    private FingerprintCrc() {
    }

    /** The fingerprint of {@code length} bytes of {@code buf} from {@code index}, indexes unchanged. */
    public static int compute(ByteBuf buf, int index, int length) {
        CRC32 crc = new CRC32();
        if (buf.hasArray()) {
            crc.update(buf.array(), buf.arrayOffset() + index, length);
        } else if (buf.nioBufferCount() == 1) {
            // The buffer's cached NIO view: nioBuffer would allocate a new one for every message.
            crc.update(buf.internalNioBuffer(index, length));
        } else {
            crc.update(buf.nioBuffer(index, length));
        }
        return (int) crc.getValue() ^ XOR;
    }
}
