package dev.turnlab.codec.attribute;

import java.util.Objects;

/** USERNAME (RFC 8489 §14.3): the user name of the credentials, UTF-8 (SASLprep'ed/OpaqueString by the sender). */
public record Username(String value) implements StunAttribute {

    /** Checks that the value is present. */
    public Username {
        Objects.requireNonNull(value, "USERNAME");
    }

    @Override
    public AttributeType type() {
        return AttributeType.USERNAME;
    }
}
