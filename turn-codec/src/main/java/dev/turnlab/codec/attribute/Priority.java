package dev.turnlab.codec.attribute;

/** PRIORITY (RFC 8445 §16.1): the priority a peer-reflexive candidate would get. */
public record Priority(long priority) implements StunAttribute {

    /** Checks that the value fits 32 unsigned bits. */
    public Priority {
        if (priority < 0 || priority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("PRIORITY: " + priority + " (expected: 0 to 2^32-1)");
        }
    }

    @Override
    public AttributeType type() {
        return AttributeType.PRIORITY;
    }
}
