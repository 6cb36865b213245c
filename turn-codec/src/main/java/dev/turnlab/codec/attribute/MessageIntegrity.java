package dev.turnlab.codec.attribute;

import java.util.Arrays;
import java.util.HexFormat;

/** MESSAGE-INTEGRITY (RFC 8489 §14.5): the HMAC-SHA1 of the message, as received; verified with {@code StunMessage.verifyIntegrity(key)}. */
public record MessageIntegrity(byte[] value) implements StunAttribute {

    /** Checks the length and keeps a copy of the bytes. */
    public MessageIntegrity {
        if (!(value.length == 20)) {
            throw new IllegalArgumentException("MESSAGE-INTEGRITY: " + value.length + " bytes (expected: 20)");
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
        return AttributeType.MESSAGE_INTEGRITY;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageIntegrity other && Arrays.equals(other.value, value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "MessageIntegrity[" + HexFormat.of().formatHex(value) + "]";
    }
}
