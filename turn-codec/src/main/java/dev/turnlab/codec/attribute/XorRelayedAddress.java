package dev.turnlab.codec.attribute;

import java.net.InetSocketAddress;

/** XOR-RELAYED-ADDRESS (RFC 8656 §18.5): the relayed transport address the server allocated. */
public record XorRelayedAddress(InetSocketAddress address) implements StunAttribute {

    /** Checks that the address is resolved. */
    public XorRelayedAddress {
        AddressCodec.require(address, "XOR-RELAYED-ADDRESS");
    }

    @Override
    public AttributeType type() {
        return AttributeType.XOR_RELAYED_ADDRESS;
    }
}
