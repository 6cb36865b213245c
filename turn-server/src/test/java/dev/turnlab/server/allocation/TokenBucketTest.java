package dev.turnlab.server.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.testing.tools.AllocatedBytes;
import dev.turnlab.testing.tools.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The bandwidth limit of one direction of an allocation (coturn's max-bps), on a clock the test moves. */
class TokenBucketTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aNewBucketHoldsItsBurstAndNoMore() {
        TokenBucket bucket = new TokenBucket(1000, 1000, clock.millis());

        assertThat(bucket.tryTake(600, clock.millis())).isTrue();
        assertThat(bucket.tryTake(400, clock.millis())).isTrue();
        assertThat(bucket.tryTake(1, clock.millis())).isFalse();
    }

    @Test
    void aDatagramThatDoesNotFitWholeTakesNothing() {
        TokenBucket bucket = new TokenBucket(1000, 1000, clock.millis());
        bucket.tryTake(700, clock.millis());

        assertThat(bucket.tryTake(301, clock.millis())).isFalse();
        assertThat(bucket.available(clock.millis())).isEqualTo(300);
        assertThat(bucket.tryTake(300, clock.millis())).isTrue();
    }

    @Test
    void itRefillsAtTheRateToTheMillisecond() {
        TokenBucket bucket = new TokenBucket(1000, 1000, clock.millis());
        bucket.tryTake(1000, clock.millis());

        clock.advance(Duration.ofMillis(1));
        assertThat(bucket.available(clock.millis())).isEqualTo(1);
        clock.advance(Duration.ofMillis(249));
        assertThat(bucket.available(clock.millis())).isEqualTo(250);
        assertThat(bucket.tryTake(251, clock.millis())).isFalse();
        assertThat(bucket.tryTake(250, clock.millis())).isTrue();
    }

    @Test
    void aRateThatIsNoMultipleOfAThousandLosesNothingToRounding() {
        // 7 bytes per second: 1/7 of a byte per millisecond, kept exactly in byte-milliseconds.
        TokenBucket bucket = new TokenBucket(7, 7, clock.millis());
        bucket.tryTake(7, clock.millis());
        for (int i = 0; i < 1000; i++) {
            clock.advance(Duration.ofMillis(1));
            bucket.available(clock.millis());
        }
        assertThat(bucket.available(clock.millis())).isEqualTo(7);
    }

    @Test
    void refillStopsAtTheBurst() {
        TokenBucket bucket = new TokenBucket(1000, 1500, clock.millis());
        bucket.tryTake(1500, clock.millis());

        clock.advance(Duration.ofMillis(1499));
        assertThat(bucket.available(clock.millis())).isEqualTo(1499);
        clock.advance(Duration.ofSeconds(10));
        assertThat(bucket.available(clock.millis())).isEqualTo(1500);
    }

    @Test
    void aLongIdleTimeAtTheHighestRateDoesNotOverflow() {
        TokenBucket bucket = new TokenBucket(TokenBucket.MAX_RATE, TokenBucket.MAX_RATE, clock.millis());
        bucket.tryTake(65_535, clock.millis());

        clock.advance(Duration.ofDays(365 * 100));
        assertThat(bucket.available(clock.millis())).isEqualTo(TokenBucket.MAX_RATE);
        assertThat(bucket.tryTake(65_535, clock.millis())).isTrue();
    }

    @Test
    void aClockThatStepsBackAddsNothingAndRefillsFromThere() {
        MutableClock wall = new MutableClock(Instant.parse("2026-01-01T00:10:00Z"));
        TokenBucket bucket = new TokenBucket(1000, 1000, wall.millis());
        bucket.tryTake(1000, wall.millis());

        long earlier = wall.millis() - 60_000;
        assertThat(bucket.available(earlier)).isZero();
        assertThat(bucket.available(earlier + 100)).isEqualTo(100);
    }

    @Test
    void aDatagramLargerThanTheBurstNeverPasses() {
        TokenBucket bucket = new TokenBucket(1000, 1000, clock.millis());
        clock.advance(Duration.ofHours(1));

        assertThat(bucket.tryTake(1001, clock.millis())).isFalse();
    }

    @Test
    void takingAndRefusingAllocateNothing() {
        org.junit.jupiter.api.Assumptions.assumeTrue(AllocatedBytes.measurable(), "this JVM does not count allocated bytes");
        TokenBucket bucket = new TokenBucket(1_000_000, 1_000_000, 0);
        Runnable flood = () -> {
            for (long t = 0; t < 1_000_000; t++) {
                bucket.tryTake(1200, t / 10); // ten datagrams a millisecond: 12 MB/s against 1 MB/s
            }
        };
        flood.run(); // warm up: compilation allocates, the steady state must not
        // One object per call would be megabytes; the slack is for a late compilation on a loaded machine.
        assertThat(AllocatedBytes.during(flood)).isLessThan(64 * 1024);
    }

    @Test
    void ratesOutsideTheRangeAreRefused() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, 0)).hasMessageStartingWith("rate: 0 (expected: 1..");
        assertThatThrownBy(() -> new TokenBucket(TokenBucket.MAX_RATE + 1, 1, 0)).hasMessageStartingWith("rate: ");
        assertThatThrownBy(() -> new TokenBucket(1, 0, 0)).hasMessageStartingWith("burst: 0 ");
    }
}
