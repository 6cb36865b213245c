package dev.turnlab.codec.attribute;

import java.util.List;

/**
 * UNKNOWN-ATTRIBUTES (RFC 8489 §14.13): the comprehension-required attribute types a server did not
 * understand, sent in a 420 response.
 */
public record UnknownAttributes(List<Integer> codes) implements StunAttribute {

    /** Checks that every code fits 16 bits and keeps an unmodifiable copy of the list. */
    public UnknownAttributes {
        codes = List.copyOf(codes);
        if (codes.size() > 0xFFFF / 2) {
            throw new IllegalArgumentException("UNKNOWN-ATTRIBUTES: " + codes.size() + " codes (expected: at most 32767)");
        }
        for (int code : codes) {
            if (code < 0 || code > 0xFFFF) {
                throw new IllegalArgumentException("UNKNOWN-ATTRIBUTES: code " + code + " (expected: 0-0xFFFF)");
            }
        }
    }

    /** The codes as a list, for example {@code UnknownAttributes.of(0x0031, 0x0032)}. */
    public static UnknownAttributes of(Integer... codes) {
        return new UnknownAttributes(List.of(codes));
    }

    @Override
    public AttributeType type() {
        return AttributeType.UNKNOWN_ATTRIBUTES;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("UnknownAttributes[");
        for (int i = 0; i < codes.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(String.format("0x%04X", codes.get(i)));
        }
        return s.append(']').toString();
    }
}
