package dev.turnlab.codec.attribute;

import java.util.Objects;

/** REALM (RFC 8489 §14.9): the realm of long-term credentials, for example {@code TANDBERG}. */
public record Realm(String value) implements StunAttribute {

    /** Checks that the value is present. */
    public Realm {
        Objects.requireNonNull(value, "REALM");
    }

    @Override
    public AttributeType type() {
        return AttributeType.REALM;
    }
}
