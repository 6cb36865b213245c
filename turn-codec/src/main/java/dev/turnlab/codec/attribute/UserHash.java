package dev.turnlab.codec.attribute;

import java.util.Arrays;
import java.util.HexFormat;

/** USERHASH (RFC 8489 §14.4): SHA-256 of {@code username:realm}, sent instead of USERNAME to hide it. */
public record UserHash(byte[] value) implements StunAttribute {

    /** Checks the length and keeps a copy of the bytes. */
    public UserHash {
        if (!(value.length == 32)) {
            throw new IllegalArgumentException("USERHASH: " + value.length + " bytes (expected: 32)");
        }
        value = value.clone();
    }

    /** The value's bytes, as a copy. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The number of bytes in the value. */
    public int length() {
        return value.length;
    }

    /** The value's bytes without copying, for this package's encoder and constant-time comparison. */
    byte[] unsafeValue() {
        return value;
    }

    @Override
    public AttributeType type() {
        return AttributeType.USERHASH;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserHash other && Arrays.equals(other.value, value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "UserHash[" + HexFormat.of().formatHex(value) + "]";
    }
}
