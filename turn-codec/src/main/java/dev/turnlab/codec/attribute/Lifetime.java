package dev.turnlab.codec.attribute;

import java.time.Duration;

/** LIFETIME (RFC 8656 §18.2): the allocation's remaining lifetime, in whole seconds (0 deletes it). */
public record Lifetime(Duration duration) implements StunAttribute {

    /** Checks that the duration is whole seconds from 0 to 2^32-1. */
    public Lifetime {
        if (duration.isNegative() || duration.getSeconds() > 0xFFFF_FFFFL || duration.getNano() != 0) {
            throw new IllegalArgumentException("LIFETIME: " + duration + " (expected: 0 to 2^32-1 whole seconds)");
        }
    }

    /** A lifetime of this many seconds. */
    public static Lifetime ofSeconds(long seconds) {
        return new Lifetime(Duration.ofSeconds(seconds));
    }

    /** The lifetime in seconds. */
    public long seconds() {
        return duration.getSeconds();
    }

    @Override
    public AttributeType type() {
        return AttributeType.LIFETIME;
    }
}
