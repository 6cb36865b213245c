package dev.turnlab.codec.attribute;

/**
 * CHANNEL-NUMBER (RFC 8656 §18.1): the channel to bind, 0x4000 to 0x4FFF for a valid binding
 * (RFC 8656 §12). The record accepts any 16-bit value, so a server can decode and refuse a bad one.
 */
public record ChannelNumber(int number) implements StunAttribute {

    /** The lowest channel number a client may bind (RFC 8656 §12). */
    public static final int MIN = 0x4000;
    /** The highest channel number a client may bind (RFC 8656 §12). */
    public static final int MAX = 0x4FFF;

    /** Checks that the number fits 16 bits. */
    public ChannelNumber {
        if (number < 0 || number > 0xFFFF) {
            throw new IllegalArgumentException("CHANNEL-NUMBER: " + number + " (expected: 0-0xFFFF)");
        }
    }

    /** Whether the number is in the range a client may bind, 0x4000 to 0x4FFF. */
    public boolean isValid() {
        return number >= MIN && number <= MAX;
    }

    @Override
    public AttributeType type() {
        return AttributeType.CHANNEL_NUMBER;
    }

    @Override
    public String toString() {
        return String.format("ChannelNumber[0x%04X]", number);
    }
}
