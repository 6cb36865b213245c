package dev.turnlab.codec.attribute;

import java.net.InetSocketAddress;

/** CHANGED-ADDRESS (RFC 3489 §11.2.3): the address a classic server would answer a change request from. */
public record ChangedAddress(InetSocketAddress address) implements StunAttribute {

    /** Checks that the address is resolved. */
    public ChangedAddress {
        AddressCodec.require(address, "CHANGED-ADDRESS");
    }

    @Override
    public AttributeType type() {
        return AttributeType.CHANGED_ADDRESS;
    }
}
