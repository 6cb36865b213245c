package dev.turnlab.server.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.PortRange;
import dev.turnlab.testing.tools.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The relay port allocator and RESERVATION-TOKEN holds (RFC 8656 §7.2). */
class RelayPortsTest {

    @Property(tries = 50)
    void handsOutEveryPortOnceThenNone(@ForAll @IntRange(min = 1024, max = 60000) int min,
            @ForAll @IntRange(min = 1, max = 64) int size) {
        RangePortAllocator ports = new RangePortAllocator(new PortRange(min, min + size - 1));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < size; i++) {
            int port = ports.acquire(false);
            assertThat(port).isBetween(min, min + size - 1);
            assertThat(seen.add(port)).isTrue();
        }
        assertThat(ports.acquire(false)).isEqualTo(-1);
        assertThat(ports.available()).isZero();
        ports.release(min);
        assertThat(ports.acquire(false)).isEqualTo(min);
    }

    @Test
    void evenPortsAreEven() {
        RangePortAllocator ports = new RangePortAllocator(new PortRange(40001, 40004));
        assertThat(ports.acquire(true) % 2).isZero();
        assertThat(ports.acquire(true) % 2).isZero();
        assertThat(ports.acquire(true)).isEqualTo(-1);
        assertThat(ports.available()).isEqualTo(2);
    }

    @Test
    void specificPortAndDoubleRelease() {
        RangePortAllocator ports = new RangePortAllocator(new PortRange(40000, 40001));
        assertThat(ports.acquire(40001)).isTrue();
        assertThat(ports.acquire(40001)).isFalse();
        assertThat(ports.acquire(39999)).isFalse();
        ports.release(40001);
        ports.release(40001);
        assertThat(ports.available()).isEqualTo(2);
    }

    @Test
    void reservationsAreClaimedOnceOrExpire() {
        RangePortAllocator ports = new RangePortAllocator(new PortRange(40000, 40009));
        Reservations reservations = new Reservations(ports, 30_000);
        ports.acquire(40005);
        long token = reservations.hold(40005, 0);
        assertThat(reservations.claim(token, 29_999)).isEqualTo(40005);
        assertThat(reservations.claim(token, 29_999)).isEqualTo(-1);

        ports.acquire(40007);
        long late = reservations.hold(40007, 0);
        reservations.sweep(30_000);
        assertThat(reservations.claim(late, 30_000)).isEqualTo(-1);
        assertThat(ports.acquire(40007)).isTrue();
    }

    @Test
    void aPortThatFailedToBindIsFreeButPassedOverUntilItsBackOffEnds() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        RangePortAllocator ports = new RangePortAllocator(new PortRange(40000, 40001), clock, Duration.ofSeconds(10));
        assertThat(ports.acquire(40000)).isTrue();
        ports.releaseAfterBindFailure(40000);
        assertThat(ports.available()).as("free: not in use by anything").isEqualTo(2);
        assertThat(ports.backingOff()).isEqualTo(1);
        assertThat(ports.acquire(40000)).isFalse();
        assertThat(ports.acquire(false)).isEqualTo(40001);
        assertThat(ports.acquire(false)).as("only the port in its back-off is left").isEqualTo(-1);

        clock.advance(Duration.ofSeconds(10));
        assertThat(ports.backingOff()).isZero();
        assertThat(ports.acquire(false)).isEqualTo(40000);
        assertThat(ports.available()).isZero();
    }

    @Test
    void aBackOffEndsWhenTheClockGoesBack() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        RangePortAllocator ports = new RangePortAllocator(new PortRange(40000, 40000), clock, Duration.ofSeconds(10));
        ports.acquire(40000);
        ports.releaseAfterBindFailure(40000);
        clock.advance(Duration.ofHours(-1));
        assertThat(ports.acquire(false)).isEqualTo(40000);
    }

    @Test
    void releaseAfterBindFailureOfAFreePortChangesNothing() {
        RangePortAllocator ports = new RangePortAllocator(new PortRange(40000, 40000));
        ports.releaseAfterBindFailure(40000);
        ports.releaseAfterBindFailure(39999);
        assertThat(ports.available()).isEqualTo(1);
        assertThat(ports.acquire(false)).isEqualTo(40000);
    }
}
