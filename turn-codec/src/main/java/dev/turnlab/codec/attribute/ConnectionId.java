package dev.turnlab.codec.attribute;

/** CONNECTION-ID (RFC 6062 §6.2.1): the server's 32-bit unsigned id of a TCP connection to a peer, held in an int. */
public record ConnectionId(int id) implements StunAttribute {

    /** The id as the unsigned number it is on the wire. */
    public long unsignedId() {
        return Integer.toUnsignedLong(id);
    }

    @Override
    public AttributeType type() {
        return AttributeType.CONNECTION_ID;
    }

    @Override
    public String toString() {
        return "ConnectionId[" + Integer.toUnsignedString(id) + "]";
    }
}
