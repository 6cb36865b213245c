package dev.turnlab.codec.attribute;

/**
 * One STUN attribute (RFC 8489 §14): an immutable value of plain Java types. Each registered
 * attribute is a record in this package; anything else decodes to {@link UnknownAttribute}.
 */
public interface StunAttribute {

    /** The attribute's type. */
    AttributeType type();
}
