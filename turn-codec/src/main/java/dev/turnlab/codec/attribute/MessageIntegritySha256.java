package dev.turnlab.codec.attribute;

import java.util.Arrays;
import java.util.HexFormat;

/** MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6): the HMAC-SHA256 of the message, possibly truncated to 16 to 32 bytes in steps of 4. */
public record MessageIntegritySha256(byte[] value) implements StunAttribute {

    /** Checks the length and keeps a copy of the bytes. */
    public MessageIntegritySha256 {
        if (!(value.length >= 16 && value.length <= 32 && value.length % 4 == 0)) {
            throw new IllegalArgumentException("MESSAGE-INTEGRITY-SHA256: " + value.length + " bytes (expected: 16 to 32, a multiple of 4)");
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
        return AttributeType.MESSAGE_INTEGRITY_SHA256;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageIntegritySha256 other && Arrays.equals(other.value, value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "MessageIntegritySha256[" + HexFormat.of().formatHex(value) + "]";
    }
}
