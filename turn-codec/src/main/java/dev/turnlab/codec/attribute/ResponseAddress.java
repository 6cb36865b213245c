package dev.turnlab.codec.attribute;

import java.net.InetSocketAddress;

/** RESPONSE-ADDRESS (RFC 3489 §11.2.2): where a classic server should send the response; obsolete. */
public record ResponseAddress(InetSocketAddress address) implements StunAttribute {

    /** Checks that the address is resolved. */
    public ResponseAddress {
        AddressCodec.require(address, "RESPONSE-ADDRESS");
    }

    @Override
    public AttributeType type() {
        return AttributeType.RESPONSE_ADDRESS;
    }
}
