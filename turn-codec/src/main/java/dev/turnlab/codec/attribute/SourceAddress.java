package dev.turnlab.codec.attribute;

import java.net.InetSocketAddress;

/** SOURCE-ADDRESS (RFC 3489 §11.2.5): the address and port a classic server sent the response from. */
public record SourceAddress(InetSocketAddress address) implements StunAttribute {

    /** Checks that the address is resolved. */
    public SourceAddress {
        AddressCodec.require(address, "SOURCE-ADDRESS");
    }

    @Override
    public AttributeType type() {
        return AttributeType.SOURCE_ADDRESS;
    }
}
