package dev.turnlab.codec.attribute;

import java.net.InetSocketAddress;

/** RESPONSE-ORIGIN (RFC 5780 §7.3): the address and port the response was sent from, in the clear. */
public record ResponseOrigin(InetSocketAddress address) implements StunAttribute {

    /** Checks that the address is resolved. */
    public ResponseOrigin {
        AddressCodec.require(address, "RESPONSE-ORIGIN");
    }

    @Override
    public AttributeType type() {
        return AttributeType.RESPONSE_ORIGIN;
    }
}
