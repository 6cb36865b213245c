package dev.turnlab.codec.attribute;

/**
 * FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message up to this attribute, XOR 0x5354554e. The
 * decoder checks it; to add one, ask the message builder for {@code fingerprint()}.
 */
public record Fingerprint(int crc) implements StunAttribute {

    @Override
    public AttributeType type() {
        return AttributeType.FINGERPRINT;
    }

    @Override
    public String toString() {
        return String.format("Fingerprint[0x%08X]", crc);
    }
}
