package dev.turnlab.codec.attribute;

import java.util.Objects;

/** ALTERNATE-DOMAIN (RFC 8489 §14.16): the domain name to check the ALTERNATE-SERVER's certificate against. */
public record AlternateDomain(String value) implements StunAttribute {

    /** Checks that the value is present. */
    public AlternateDomain {
        Objects.requireNonNull(value, "ALTERNATE-DOMAIN");
    }

    @Override
    public AttributeType type() {
        return AttributeType.ALTERNATE_DOMAIN;
    }
}
