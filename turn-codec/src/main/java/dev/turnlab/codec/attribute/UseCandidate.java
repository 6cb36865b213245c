package dev.turnlab.codec.attribute;

/** USE-CANDIDATE (RFC 8445 §16.1): the controlling agent nominates this pair; no value. */
public record UseCandidate() implements StunAttribute {

    /** The one value. */
    public static final UseCandidate INSTANCE = new UseCandidate();

    @Override
    public AttributeType type() {
        return AttributeType.USE_CANDIDATE;
    }
}
