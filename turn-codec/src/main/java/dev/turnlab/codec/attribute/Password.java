package dev.turnlab.codec.attribute;

import java.util.Objects;

/** PASSWORD (RFC 3489 §11.2.7): a short-term password a classic server handed out; obsolete, never logged. */
public record Password(String value) implements StunAttribute {

    /** Checks that the value is present. */
    public Password {
        Objects.requireNonNull(value, "PASSWORD");
    }

    @Override
    public AttributeType type() {
        return AttributeType.PASSWORD;
    }

    // A password has no place in a log line; its length is enough to debug with.
    @Override
    public String toString() {
        return "Password[" + value.length() + " chars]";
    }
}
