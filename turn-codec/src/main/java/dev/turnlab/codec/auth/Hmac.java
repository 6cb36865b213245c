package dev.turnlab.codec.auth;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC (RFC 2104) over one reused {@link MessageDigest}, for one thread. The JDK's {@code Mac} wants a new
 * {@code SecretKeySpec}, copies the key twice and returns a new array for every MAC; this computes the same
 * value with no allocation, reading the message where it lies, which is what a server verifying every
 * authenticated request needs. Not thread-safe: {@link IntegrityAlgorithm} keeps one per thread.
 */
final class Hmac {

    /** The block size of SHA-1 and SHA-256 (RFC 2104 §2: B). */
    private static final int BLOCK = 64;
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5C;

    private final MessageDigest digest;
    private final int length;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] innerHash;
    private final byte[] mac;

    Hmac(String digestName, int length) {
        try {
            this.digest = MessageDigest.getInstance(digestName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digestName + " is required by RFC 8489 and missing from this JDK", e);
        }
        this.length = length;
        this.innerHash = new byte[length];
        this.mac = new byte[length];
    }

    /** Starts a MAC keyed with {@code key}: K XOR ipad goes into the inner hash (RFC 2104 §2, steps 1-3). */
    Hmac start(byte[] key) {
        byte[] k = key.length > BLOCK ? digest.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ IPAD);
            outerPad[i] = (byte) (b ^ OPAD);
        }
        digest.reset();
        digest.update(innerPad);
        return this;
    }

    Hmac update(byte b) {
        digest.update(b);
        return this;
    }

    Hmac update(byte[] bytes, int offset, int count) {
        digest.update(bytes, offset, count);
        return this;
    }

    Hmac update(ByteBuffer bytes) {
        digest.update(bytes);
        return this;
    }

    /** Adds {@code count} bytes of {@code buf} from {@code index}, indexes unchanged, without copying them out. */
    Hmac update(ByteBuf buf, int index, int count) {
        if (buf.hasArray()) {
            digest.update(buf.array(), buf.arrayOffset() + index, count);
        } else if (buf.nioBufferCount() == 1) {
            // The buffer's cached NIO view: nioBuffer would make a new one for every message.
            digest.update(buf.internalNioBuffer(index, count));
        } else {
            digest.update(buf.nioBuffer(index, count));
        }
        return this;
    }

    /** The MAC (RFC 2104 §2, steps 4-7), in an array this instance reuses: valid until its next call. */
    byte[] finish() {
        try {
            digest.digest(innerHash, 0, length);
            digest.update(outerPad);
            digest.update(innerHash);
            digest.digest(mac, 0, length);
            return mac;
        } catch (DigestException e) {
            throw new IllegalStateException("a " + length + "-byte array refused by " + digest.getAlgorithm(), e);
        }
    }
}
