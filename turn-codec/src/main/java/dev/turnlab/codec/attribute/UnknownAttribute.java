package dev.turnlab.codec.attribute;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An attribute whose type this codec does not register: its code and value bytes, kept so the
 * message re-encodes unchanged. A comprehension-required one (code below 0x8000) makes a server
 * answer 420 with UNKNOWN-ATTRIBUTES (RFC 8489 §6.3.1.1).
 */
public record UnknownAttribute(int code, byte[] value) implements StunAttribute {

    /** Checks the code and length and keeps a copy of the bytes. */
    public UnknownAttribute {
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("attribute type: " + code + " (expected: 0-0xFFFF)");
        }
        if (value.length > 0xFFFF) {
            throw new IllegalArgumentException("attribute value: " + value.length + " bytes (expected: at most 65535)");
        }
        value = value.clone();
    }

    /** The value's bytes, as a copy. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    byte[] unsafeValue() {
        return value;
    }

    @Override
    public AttributeType type() {
        return AttributeType.valueOf(code);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownAttribute other && other.code == code && Arrays.equals(other.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return String.format("UnknownAttribute[0x%04X: %s]", code, HexFormat.of().formatHex(value));
    }
}
