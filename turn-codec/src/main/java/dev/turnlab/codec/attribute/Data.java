package dev.turnlab.codec.attribute;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.HexFormat;

/** DATA (RFC 8656 §18.4): application data carried in a Send or Data indication. */
public record Data(byte[] value) implements StunAttribute {

    /** Checks the length and keeps a copy of the bytes. */
    public Data {
        if (!(value.length <= 65535)) {
            throw new IllegalArgumentException("DATA: " + value.length + " bytes (expected: at most 65535)");
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

    /** Writes the data to a buffer without an intermediate copy. */
    public void writeTo(ByteBuf out) {
        out.writeBytes(value);
    }

    byte[] unsafeValue() {
        return value;
    }

    @Override
    public AttributeType type() {
        return AttributeType.DATA;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Data other && Arrays.equals(other.value, value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Data[" + HexFormat.of().formatHex(value) + "]";
    }
}
