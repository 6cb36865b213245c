package dev.turnlab.codec.attribute;

import java.util.Objects;

/** NONCE (RFC 8489 §14.10): the server's nonce for long-term credentials. */
public record Nonce(String value) implements StunAttribute {

    /** Checks that the value is present. */
    public Nonce {
        Objects.requireNonNull(value, "NONCE");
    }

    @Override
    public AttributeType type() {
        return AttributeType.NONCE;
    }
}
