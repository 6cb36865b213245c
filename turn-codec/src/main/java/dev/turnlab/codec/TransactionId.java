package dev.turnlab.codec;

import io.netty.buffer.ByteBuf;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A STUN transaction id: 96 bits after the magic cookie (RFC 8489 §5), or the 128 bits of an
 * RFC 3489 "classic" message, which has no magic cookie. Immutable.
 */
public final class TransactionId {

    /** Length of an RFC 8489 transaction id, in bytes. */
    public static final int LENGTH = 12;
    /** Length of an RFC 3489 transaction id, in bytes (it takes the place of the magic cookie too). */
    public static final int CLASSIC_LENGTH = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    private final int hash;

    private TransactionId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** A new random 96-bit id, from a cryptographically strong source as RFC 8489 §5 asks. */
    public static TransactionId random() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new TransactionId(b);
    }

    /** An id from 12 bytes (RFC 8489) or 16 bytes (RFC 3489); the array is copied. */
    public static TransactionId of(byte[] bytes) {
        if (bytes.length != LENGTH && bytes.length != CLASSIC_LENGTH) {
            throw new IllegalArgumentException(
                    "transaction id: " + bytes.length + " bytes (expected: 12, or 16 for RFC 3489)");
        }
        return new TransactionId(bytes.clone());
    }

    /** An id from its hexadecimal form (24 or 32 digits). */
    public static TransactionId ofHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    /** Reads {@code length} bytes (12 or 16) from the buffer's reader index onwards, advancing it. */
    static TransactionId read(ByteBuf in, int length) {
        byte[] b = new byte[length];
        in.readBytes(b);
        return new TransactionId(b);
    }

    /** Whether this is a 128-bit RFC 3489 id (a message without magic cookie). */
    public boolean isClassic() {
        return bytes.length == CLASSIC_LENGTH;
    }

    /** The id's bytes, as a copy. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The byte at {@code index}, without copying. */
    public byte byteAt(int index) {
        return bytes[index];
    }

    /** The number of bytes: 12, or 16 for RFC 3489. */
    public int length() {
        return bytes.length;
    }

    /** Writes the id's bytes. */
    public void writeTo(ByteBuf out) {
        out.writeBytes(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransactionId other && other.hash == hash && Arrays.equals(other.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
