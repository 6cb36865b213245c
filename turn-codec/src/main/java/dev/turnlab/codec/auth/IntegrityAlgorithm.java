package dev.turnlab.codec.auth;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * The two message-integrity MACs of RFC 8489: HMAC-SHA1 in MESSAGE-INTEGRITY (§14.5) and
 * HMAC-SHA256 in MESSAGE-INTEGRITY-SHA256 (§14.6). Each thread keeps one HMAC per algorithm over a
 * reused digest, so computing or checking a MAC allocates nothing and reads the message in place.
 */
public enum IntegrityAlgorithm {
    /** HMAC-SHA1, 20 bytes, carried in MESSAGE-INTEGRITY. */
    HMAC_SHA1("SHA-1", 20),
    /** HMAC-SHA256, 32 bytes, carried (possibly truncated) in MESSAGE-INTEGRITY-SHA256. */
    HMAC_SHA256("SHA-256", 32);

    private static final int HEADER_LENGTH = 20;

    private final int length;
    private final ThreadLocal<Hmac> macs;

    IntegrityAlgorithm(String digestName, int length) {
        this.length = length;
        this.macs = ThreadLocal.withInitial(() -> new Hmac(digestName, length));
    }

    /** The full length of the MAC in bytes. */
    public int length() {
        return length;
    }

    /** The MAC of a whole byte range, in a new array. */
    public byte[] compute(byte[] key, ByteBuffer data) {
        return macs.get().start(key).update(data).finish().clone();
    }

    /**
     * Appends to {@code out} the MAC of {@code count} bytes of {@code message} from {@code index}, whose
     * length field the encoder has already set to cover the integrity attribute (RFC 8489 §14.5, §14.6).
     */
    public void write(byte[] key, ByteBuf message, int index, int count, ByteBuf out) {
        out.writeBytes(macs.get().start(key).update(message, index, count).finish(), 0, length);
    }

    /**
     * Checks the integrity attribute at {@code attribute} of the message at {@code start} of {@code message}
     * with {@code key}, in place: the MAC covers the header with its length field set to end at this
     * attribute, as though nothing followed it, then the attributes before it (RFC 8489 §14.5, §14.6). The
     * received value is compared on its own length (a MESSAGE-INTEGRITY-SHA256 may be truncated to 16 bytes),
     * in constant time. The caller has checked the attribute's bounds; indexes are unchanged.
     */
    public boolean verify(byte[] key, ByteBuf message, int start, int attribute) {
        int macLength = message.getUnsignedShort(attribute + 2);
        if (macLength < 16 || macLength > length) {
            return false;
        }
        int coveredLength = attribute + 4 + macLength - start - HEADER_LENGTH;
        byte[] computed = macs.get().start(key)
                .update(message, start, 2)
                .update((byte) (coveredLength >>> 8))
                .update((byte) coveredLength)
                .update(message, start + 4, attribute - start - 4)
                .finish();
        // Constant time, as MessageDigest.isEqual: how long the comparison takes tells nothing of the right MAC.
        int difference = 0;
        for (int i = 0; i < macLength; i++) {
            difference |= computed[i] ^ message.getByte(attribute + 4 + i);
        }
        return difference == 0;
    }
}
