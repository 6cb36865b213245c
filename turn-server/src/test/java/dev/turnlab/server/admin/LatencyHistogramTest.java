package dev.turnlab.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.turnlab.testing.tools.AllocatedBytes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fixed buckets, counted cumulatively as Prometheus reads them, from any number of threads. */
class LatencyHistogramTest {

    @Test
    void aDurationCountsInTheFirstBucketThatHoldsItAndInEveryOneAfter() {
        LatencyHistogram h = new LatencyHistogram(Duration.ofMillis(1), Duration.ofMillis(10));
        h.observe(1_000_000); // on the bound: le means "at most"
        h.observe(1_000_001);
        h.observe(50_000_000);

        LatencyHistogram.Snapshot s = h.snapshot();
        assertThat(s.bounds()).containsExactly(Duration.ofMillis(1), Duration.ofMillis(10));
        assertThat(s.cumulative()).containsExactly(1L, 2L, 3L);
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.sum()).isEqualTo(Duration.ofNanos(52_000_001));
    }

    @Test
    void aClockThatSteppedBackCountsAsNoTime() {
        LatencyHistogram h = new LatencyHistogram(Duration.ofMillis(1));
        h.observe(-5);
        assertThat(h.snapshot().cumulative()).containsExactly(1L, 1L);
        assertThat(h.snapshot().sum()).isEqualTo(Duration.ZERO);
    }

    @Test
    void theServersBucketsSpanSubMillisecondsToSeconds() {
        List<Duration> relay = LatencyHistogram.relayLatency().snapshot().bounds();
        assertThat(relay.get(0)).isEqualTo(Duration.ofNanos(10_000));
        assertThat(relay.get(relay.size() - 1)).isEqualTo(Duration.ofSeconds(1));
        List<Duration> setup = LatencyHistogram.allocationSetup().snapshot().bounds();
        assertThat(setup.get(0)).isEqualTo(Duration.ofNanos(100_000));
        assertThat(setup.get(setup.size() - 1)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void boundsMustIncrease() {
        assertThatIllegalArgumentException().isThrownBy(LatencyHistogram::new);
        assertThatIllegalArgumentException().isThrownBy(() -> new LatencyHistogram(Duration.ofMillis(2), Duration.ofMillis(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> new LatencyHistogram(Duration.ZERO));
    }

    @Test
    void observingAllocatesNothing() {
        org.junit.jupiter.api.Assumptions.assumeTrue(AllocatedBytes.measurable(), "this JVM does not count allocated bytes");
        LatencyHistogram h = LatencyHistogram.relayLatency();
        Runnable observe = () -> {
            for (long i = 0; i < 1_000_000; i++) {
                h.observe(i * 37);
            }
        };
        observe.run(); // warm up: compilation allocates, the steady state must not
        // One object per call would be megabytes; the slack is for a late compilation on a loaded machine.
        assertThat(AllocatedBytes.during(observe)).isLessThan(64 * 1024);
    }

    @Test
    void threadsObservingAtOnceLoseNothing() throws Exception {
        LatencyHistogram h = LatencyHistogram.relayLatency();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    h.observe(i * 1_000L);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join(30_000);
        }
        LatencyHistogram.Snapshot s = h.snapshot();
        assertThat(s.count()).isEqualTo(40_000);
        // 4 × the sum of 0 .. 9,999 µs
        assertThat(s.sum()).isEqualTo(Duration.ofNanos(4L * 1_000 * 9_999 * 10_000 / 2));
    }
}
