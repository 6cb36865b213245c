package dev.turnlab.codec.attribute;

/** ICE-CONTROLLED (RFC 8445 §16.1): the sender is in the controlled role; the 64-bit tie-breaker. */
public record IceControlled(long tieBreaker) implements StunAttribute {

    @Override
    public AttributeType type() {
        return AttributeType.ICE_CONTROLLED;
    }
}
