package dev.turnlab.codec.auth;

import io.netty.buffer.ByteBuf;
import java.util.zip.CRC32;

/** The FINGERPRINT value (RFC 8489 §14.7): CRC-32 (as in ISO/IEC 13239) XOR 0x5354554e. */
public final class FingerprintCrc {

    /** The constant XOR'ed with the CRC, "STUN" in ASCII. */
    public static final int XOR = 0x5354554e;

    // One per thread: a new CRC32 per message would be left to escape analysis, which need not remove it
    // (it cannot once the update call is not inlined), and the fingerprint is checked on the hot path.
    private static final ThreadLocal<CRC32> CRCS = ThreadLocal.withInitial(CRC32::new);

    private FingerprintCrc() {
    }

    /** The fingerprint of {@code length} bytes of {@code buf} from {@code index}, indexes unchanged. */
    public static int compute(ByteBuf buf, int index, int length) {
        CRC32 crc = CRCS.get();
        crc.reset();
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
