package dev.turnlab.codec.attribute;

/**
 * PADDING (RFC 5780 §7.6): bytes that make a request or its response larger, to probe for
 * fragmentation; their content is ignored, so the record keeps only the length and encodes zeros.
 */
public record Padding(int length) implements StunAttribute {

    /** Checks that the length fits the 16-bit length field. */
    public Padding {
        if (length < 0 || length > 0xFFFF) {
            throw new IllegalArgumentException("PADDING: " + length + " bytes (expected: 0-65535)");
        }
    }

    @Override
    public AttributeType type() {
        return AttributeType.PADDING;
    }
}
