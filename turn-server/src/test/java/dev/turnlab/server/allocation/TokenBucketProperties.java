package dev.turnlab.server.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * What a bandwidth limit promises whatever the traffic: the bucket never holds more than its burst, and
 * over any time t from its start it admits at most rate·t + burst bytes.
 */
class TokenBucketProperties {

    /** A datagram of {@code bytes} offered {@code gapMillis} after the one before. */
    record Offer(long gapMillis, int bytes) {
    }

    @Provide
    Arbitrary<List<Offer>> offers() {
        Arbitrary<Long> gaps = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(0, 3)),
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(0, 2_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 1_000_000_000L)));
        Arbitrary<Integer> sizes = Arbitraries.integers().between(0, 65_535);
        return Combinators.combine(gaps, sizes).as(Offer::new).list().ofMaxSize(300);
    }

    @Property(tries = 300)
    void tokensNeverExceedTheBurstAndAdmittedBytesStayWithinRateTimesTimePlusBurst(
            @ForAll @LongRange(min = 1, max = 10_000_000) long rate, @ForAll @LongRange(min = 1, max = 200_000) long burst,
            @ForAll("offers") List<Offer> offers) {
        long start = 1_700_000_000_000L;
        TokenBucket bucket = new TokenBucket(rate, burst, start);
        long now = start;
        long admitted = 0;
        for (Offer o : offers) {
            now += o.gapMillis();
            if (bucket.tryTake(o.bytes(), now)) {
                admitted += o.bytes();
            }
            assertThat(bucket.available(now)).isBetween(0L, burst);
            // rate·t + burst with t in seconds, in byte-milliseconds to stay exact.
            assertThat(admitted * 1000).isLessThanOrEqualTo(rate * (now - start) + burst * 1000);
        }
    }

    @Property(tries = 100)
    void aSteadySenderWithinTheRateIsNeverDropped(@ForAll @LongRange(min = 1_000, max = 10_000_000) long rate) {
        // Datagrams of rate/100 bytes (at most 64 KiB), each as soon as the rate allows it.
        TokenBucket bucket = new TokenBucket(rate, rate, 0);
        int size = (int) Math.min(65_535, rate / 100);
        long gap = (size * 1000L + rate - 1) / rate; // rounded up: never faster than the rate
        for (long t = 0, i = 0; i < 500; i++, t += gap) {
            assertThat(bucket.tryTake(size, t)).isTrue();
        }
    }
}
