package dev.turnlab.codec.attribute;

/**
 * ICMP (RFC 8656 §18.13): an ICMP error the server received for relayed data, passed on in a Data
 * indication: its type, code and 32 bits of type-specific error data (for example the next-hop MTU).
 */
public record Icmp(int icmpType, int icmpCode, int errorData) implements StunAttribute {

    /** Checks that type and code each fit a byte. */
    public Icmp {
        if (icmpType < 0 || icmpType > 255) {
            throw new IllegalArgumentException("ICMP: type " + icmpType + " (expected: 0-255)");
        }
        if (icmpCode < 0 || icmpCode > 255) {
            throw new IllegalArgumentException("ICMP: code " + icmpCode + " (expected: 0-255)");
        }
    }

    @Override
    public AttributeType type() {
        return AttributeType.ICMP;
    }
}
