package dev.turnlab.codec.attribute;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * DATA (RFC 8656 §18.4): application data carried in a Send or Data indication.
 *
 * <p>A value class rather than a record: a record must copy its array in its public constructor,
 * and the decoder, which already reads the bytes into a fresh array, would pay for a second copy of
 * up to 64 KiB on the relay path. {@link #wrap} lets it hand that array over instead.
 */
public final class Data implements StunAttribute {

    private final byte[] value;

    /** Checks the length and keeps a copy of the bytes. */
    public Data(byte[] value) {
        this(value, true);
    }

    private Data(byte[] value, boolean copy) {
        Objects.requireNonNull(value, "DATA");
        if (value.length > 0xFFFF) {
            throw new IllegalArgumentException("DATA: " + value.length + " bytes (expected: at most 65535)");
        }
        this.value = copy ? value.clone() : value;
    }

    /** Takes ownership of an array no one else holds: for the decoder, which has just filled it. */
    static Data wrap(byte[] owned) {
        return new Data(owned, false);
    }

    /** The value's bytes, as a copy. */
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
