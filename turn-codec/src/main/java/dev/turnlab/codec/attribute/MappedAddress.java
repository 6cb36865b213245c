package dev.turnlab.codec.attribute;

import java.net.InetSocketAddress;

/** MAPPED-ADDRESS (RFC 8489 §14.1): the client's reflexive transport address, in the clear (kept for RFC 3489 clients). */
public record MappedAddress(InetSocketAddress address) implements StunAttribute {

    /** Checks that the address is resolved. */
    public MappedAddress {
        AddressCodec.require(address, "MAPPED-ADDRESS");
    }

    @Override
    public AttributeType type() {
        return AttributeType.MAPPED_ADDRESS;
    }
}
