package dev.turnlab.codec.attribute;

/**
 * EVEN-PORT (RFC 8656 §18.7): the relayed port must be even; with the R bit, the next port up is
 * reserved for a later allocation too.
 */
public record EvenPort(boolean reserve) implements StunAttribute {

    /** An even port, the next one not reserved. */
    public static final EvenPort EVEN = new EvenPort(false);
    /** An even port, the next one reserved (R bit set). */
    public static final EvenPort RESERVE = new EvenPort(true);

    @Override
    public AttributeType type() {
        return AttributeType.EVEN_PORT;
    }
}
