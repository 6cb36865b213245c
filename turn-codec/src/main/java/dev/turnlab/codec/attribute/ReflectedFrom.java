package dev.turnlab.codec.attribute;

import java.net.InetSocketAddress;

/** REFLECTED-FROM (RFC 3489 §11.2.11): the requester whose RESPONSE-ADDRESS a classic server honoured. */
public record ReflectedFrom(InetSocketAddress address) implements StunAttribute {

    /** Checks that the address is resolved. */
    public ReflectedFrom {
        AddressCodec.require(address, "REFLECTED-FROM");
    }

    @Override
    public AttributeType type() {
        return AttributeType.REFLECTED_FROM;
    }
}
