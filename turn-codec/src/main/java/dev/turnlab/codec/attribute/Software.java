package dev.turnlab.codec.attribute;

import java.util.Objects;

/** SOFTWARE (RFC 8489 §14.14): a description of the agent's software. */
public record Software(String value) implements StunAttribute {

    /** Checks that the value is present. */
    public Software {
        Objects.requireNonNull(value, "SOFTWARE");
    }

    @Override
    public AttributeType type() {
        return AttributeType.SOFTWARE;
    }
}
