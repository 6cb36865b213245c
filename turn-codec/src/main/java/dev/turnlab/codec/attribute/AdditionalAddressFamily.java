package dev.turnlab.codec.attribute;

import java.util.Objects;

/**
 * ADDITIONAL-ADDRESS-FAMILY (RFC 8656 §18.11): asks for a second relayed address of this family; only
 * IPv6 is valid on the wire, and a server answers 400 to IPv4 (§7.2), so the record accepts both.
 */
public record AdditionalAddressFamily(AddressFamily family) implements StunAttribute {

    /** Checks that the family is present. */
    public AdditionalAddressFamily {
        Objects.requireNonNull(family, "ADDITIONAL-ADDRESS-FAMILY");
    }

    @Override
    public AttributeType type() {
        return AttributeType.ADDITIONAL_ADDRESS_FAMILY;
    }
}
