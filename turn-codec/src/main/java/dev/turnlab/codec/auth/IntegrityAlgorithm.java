package dev.turnlab.codec.auth;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two message-integrity MACs of RFC 8489: HMAC-SHA1 in MESSAGE-INTEGRITY (§14.5) and
 * HMAC-SHA256 in MESSAGE-INTEGRITY-SHA256 (§14.6). Each thread keeps one {@link Mac} per algorithm,
 * so computing a MAC costs no provider look-up.
 */
public enum IntegrityAlgorithm {
    /** HMAC-SHA1, 20 bytes, carried in MESSAGE-INTEGRITY. */
    HMAC_SHA1("HmacSHA1", 20),
    /** HMAC-SHA256, 32 bytes, carried (possibly truncated) in MESSAGE-INTEGRITY-SHA256. */
    HMAC_SHA256("HmacSHA256", 32);

    private final String jcaName;
    private final int length;
    private final ThreadLocal<Mac> macs;

    IntegrityAlgorithm(String jcaName, int length) {
        this.jcaName = jcaName;
        this.length = length;
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** The full length of the MAC in bytes. */
    public int length() {
        return length;
    }

    /** A MAC keyed with {@code key}, ready for {@code update} calls; valid until this thread's next call. */
    public Mac init(byte[] key) {
        Mac mac = macs.get();
        try {
            mac.init(new SecretKeySpec(key.length == 0 ? EMPTY_KEY : key, jcaName));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jcaName + " rejected a key", e);
        }
        return mac;
    }

    /** The MAC of a whole byte range. */
    public byte[] compute(byte[] key, ByteBuffer data) {
        Mac mac = init(key);
        mac.update(data);
        return mac.doFinal();
    }

    private Mac newMac() {
        try {
            return Mac.getInstance(jcaName);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jcaName + " is required by RFC 8489 and missing from this JDK", e);
        }
    }

    // SecretKeySpec refuses an empty key; HMAC pads keys with zeros to the block size, so one zero
    // byte is the same key (RFC 2104 §2).
    private static final byte[] EMPTY_KEY = {0};
}
