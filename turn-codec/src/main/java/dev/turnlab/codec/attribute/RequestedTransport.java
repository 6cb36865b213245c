package dev.turnlab.codec.attribute;

/** REQUESTED-TRANSPORT (RFC 8656 §18.8): the IP protocol number of the relayed transport. */
public record RequestedTransport(int protocol) implements StunAttribute {

    /** UDP (protocol 17), the transport every TURN server relays. */
    public static final RequestedTransport UDP = new RequestedTransport(17);
    /** TCP (protocol 6), for RFC 6062 TCP allocations. */
    public static final RequestedTransport TCP = new RequestedTransport(6);

    /** Checks that the protocol fits a byte. */
    public RequestedTransport {
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("REQUESTED-TRANSPORT: " + protocol + " (expected: 0-255)");
        }
    }

    @Override
    public AttributeType type() {
        return AttributeType.REQUESTED_TRANSPORT;
    }
}
