package dev.turnlab.codec.attribute;

import java.net.InetSocketAddress;

/** OTHER-ADDRESS (RFC 5780 §7.4): the server's alternate address and port for NAT behaviour discovery, in the clear. */
public record OtherAddress(InetSocketAddress address) implements StunAttribute {

    /** Checks that the address is resolved. */
    public OtherAddress {
        AddressCodec.require(address, "OTHER-ADDRESS");
    }

    @Override
    public AttributeType type() {
        return AttributeType.OTHER_ADDRESS;
    }
}
