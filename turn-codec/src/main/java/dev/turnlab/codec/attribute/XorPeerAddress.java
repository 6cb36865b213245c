package dev.turnlab.codec.attribute;

import java.net.InetSocketAddress;

/** XOR-PEER-ADDRESS (RFC 8656 §18.3): a peer's address as seen from the TURN server. */
public record XorPeerAddress(InetSocketAddress address) implements StunAttribute {

    /** Checks that the address is resolved. */
    public XorPeerAddress {
        AddressCodec.require(address, "XOR-PEER-ADDRESS");
    }

    @Override
    public AttributeType type() {
        return AttributeType.XOR_PEER_ADDRESS;
    }
}
