package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.support.Reflection;
import dev.turnlab.testing.tools.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * An unauthenticated request never draws an answer more than 4.8 times its size (coturn 4.6.1's worst
 * case, a 96-byte 401 to a 20-byte Allocate, measured the same way with {@link Reflection#main}), in
 * either profile (RFC 8489 §16.1.3, amplification). Sizes, not timing.
 */
class ReflectionTest {

    private static final double WORST_ALLOWED = 4.8;

    private final MutableClock clock = MutableClock.now();

    @Test
    void standardProfile() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start()) {
            check(Reflection.measure(server.udpAddress()));
        }
    }

    @Test
    void expresswayProfile() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).profile(Profile.EXPRESSWAY).build().start()) {
            check(Reflection.measure(server.udpAddress()));
        }
    }

    private static void check(Reflection.Result result) {
        System.out.print(result.table());
        assertThat(result.probes()).as(result.table()).allSatisfy(p -> assertThat(p.answer()).isPositive());
        assertThat(result.worst()).as(result.table()).isLessThanOrEqualTo(WORST_ALLOWED);
    }
}
