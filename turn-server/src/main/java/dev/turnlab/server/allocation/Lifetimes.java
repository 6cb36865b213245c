package dev.turnlab.server.allocation;

import dev.turnlab.codec.attribute.Lifetime;
import java.time.Duration;

/**
 * The server's timers (RFC 8656): allocation default and maximum (§7.2: 600 s, 3600 s recommended),
 * permissions (§9: 300 s, fixed), channel bindings (§12: 600 s, fixed) and how long an expired channel
 * number and peer stay reserved against rebinding (§12: 5 minutes).
 */
public record Lifetimes(Duration defaultAllocation, Duration maxAllocation, Duration permission, Duration channel,
        Duration channelHold) {

    /** The RFC 8656 values. */
    public static final Lifetimes RFC_8656 = new Lifetimes(Duration.ofSeconds(600), Duration.ofSeconds(3600),
            Duration.ofSeconds(300), Duration.ofSeconds(600), Duration.ofSeconds(300));

    /** Checks that every timer is positive and the default does not exceed the maximum. */
    public Lifetimes {
        for (Duration d : new Duration[] {defaultAllocation, maxAllocation, permission, channel, channelHold}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("lifetimes: " + d + " (expected: positive)");
            }
        }
        if (defaultAllocation.compareTo(maxAllocation) > 0) {
            throw new IllegalArgumentException("lifetimes: default " + defaultAllocation.getSeconds() + " s > max "
                    + maxAllocation.getSeconds() + " s (expected: default <= max)");
        }
    }

    /**
     * The lifetime granted for a requested one (RFC 8656 §7.2 rule for Allocate and §7.3 for Refresh):
     * min(requested, maximum), raised to the default when lower; the default when none was requested.
     */
    public Duration granted(Lifetime requested) {
        if (requested == null) {
            return defaultAllocation;
        }
        Duration capped = requested.duration().compareTo(maxAllocation) < 0 ? requested.duration() : maxAllocation;
        return capped.compareTo(defaultAllocation) > 0 ? capped : defaultAllocation;
    }
}
