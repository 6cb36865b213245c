package dev.turnlab.codec.attribute;

import java.net.InetSocketAddress;

/** ALTERNATE-SERVER (RFC 8489 §14.15): the server a 300 Try Alternate response redirects the client to, in the clear. */
public record AlternateServer(InetSocketAddress address) implements StunAttribute {

    /** Checks that the address is resolved. */
    public AlternateServer {
        AddressCodec.require(address, "ALTERNATE-SERVER");
    }

    @Override
    public AttributeType type() {
        return AttributeType.ALTERNATE_SERVER;
    }
}
