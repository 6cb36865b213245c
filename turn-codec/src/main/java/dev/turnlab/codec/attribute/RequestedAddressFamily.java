package dev.turnlab.codec.attribute;

import java.util.Objects;

/** REQUESTED-ADDRESS-FAMILY (RFC 8656 §18.6): the family of the relayed address a client asks to allocate. */
public record RequestedAddressFamily(AddressFamily family) implements StunAttribute {

    /** Ask for an IPv4 relayed address. */
    public static final RequestedAddressFamily IPV4 = new RequestedAddressFamily(AddressFamily.IPV4);
    /** Ask for an IPv6 relayed address. */
    public static final RequestedAddressFamily IPV6 = new RequestedAddressFamily(AddressFamily.IPV6);

    /** Checks that the family is present. */
    public RequestedAddressFamily {
        Objects.requireNonNull(family, "REQUESTED-ADDRESS-FAMILY");
    }

    @Override
    public AttributeType type() {
        return AttributeType.REQUESTED_ADDRESS_FAMILY;
    }
}
