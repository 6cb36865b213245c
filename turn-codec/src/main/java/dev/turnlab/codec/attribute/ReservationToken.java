package dev.turnlab.codec.attribute;

/** RESERVATION-TOKEN (RFC 8656 §18.10): the server's 8-byte handle on a relayed port it keeps reserved. */
public record ReservationToken(long token) implements StunAttribute {

    @Override
    public AttributeType type() {
        return AttributeType.RESERVATION_TOKEN;
    }

    @Override
    public String toString() {
        return String.format("ReservationToken[0x%016X]", token);
    }
}
