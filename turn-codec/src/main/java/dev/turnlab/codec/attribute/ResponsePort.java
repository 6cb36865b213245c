package dev.turnlab.codec.attribute;

/** RESPONSE-PORT (RFC 5780 §7.5): the port the server should send the response to, not the request's source port. */
public record ResponsePort(int port) implements StunAttribute {

    /** Checks that the port fits 16 bits. */
    public ResponsePort {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("RESPONSE-PORT: " + port + " (expected: 0-65535)");
        }
    }

    @Override
    public AttributeType type() {
        return AttributeType.RESPONSE_PORT;
    }
}
