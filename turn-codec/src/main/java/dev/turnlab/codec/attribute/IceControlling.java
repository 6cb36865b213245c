package dev.turnlab.codec.attribute;

/** ICE-CONTROLLING (RFC 8445 §16.1): the sender is in the controlling role; the 64-bit tie-breaker. */
public record IceControlling(long tieBreaker) implements StunAttribute {

    @Override
    public AttributeType type() {
        return AttributeType.ICE_CONTROLLING;
    }
}
