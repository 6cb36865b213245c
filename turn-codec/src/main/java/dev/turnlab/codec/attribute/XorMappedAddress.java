package dev.turnlab.codec.attribute;

import java.net.InetSocketAddress;

/** XOR-MAPPED-ADDRESS (RFC 8489 §14.2): the client's reflexive transport address, obfuscated with the magic cookie and transaction id. */
public record XorMappedAddress(InetSocketAddress address) implements StunAttribute {

    /** Checks that the address is resolved. */
    public XorMappedAddress {
        AddressCodec.require(address, "XOR-MAPPED-ADDRESS");
    }

    @Override
    public AttributeType type() {
        return AttributeType.XOR_MAPPED_ADDRESS;
    }
}
