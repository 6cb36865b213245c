package dev.turnlab.server.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Durations counted into fixed buckets, as a Prometheus histogram exposes them. Any thread may
 * {@link #observe}: it costs a scan of at most a few dozen bounds and two atomic adds, with no lock and no
 * allocation, so the data path can record into one (sampled, see {@link #SAMPLE_MASK}).
 */
public final class LatencyHistogram {

    /**
     * The relay path records one datagram in {@code SAMPLE_MASK + 1} (64): a counter the handler owns
     * picks it, and only that datagram reads the clock.
     */
    public static final int SAMPLE_MASK = 63;

    private final long[] bounds;
    private final AtomicLongArray counts;
    private final AtomicLong sum = new AtomicLong();

    /** A histogram whose buckets end at {@code bounds}, in increasing order, and at +Inf. */
    public LatencyHistogram(Duration... bounds) {
        if (bounds.length == 0) {
            throw new IllegalArgumentException("bounds: none (expected: at least one)");
        }
        this.bounds = new long[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            this.bounds[i] = bounds[i].toNanos();
            if (this.bounds[i] <= 0 || i > 0 && this.bounds[i] <= this.bounds[i - 1]) {
                throw new IllegalArgumentException("bounds: " + Arrays.toString(bounds) + " (expected: positive, increasing)");
            }
        }
        this.counts = new AtomicLongArray(bounds.length + 1);
    }

    /**
     * Bounds for the time a datagram spends in the server: 10 µs to 1 s, where the usual is tens of
     * microseconds and a millisecond already means a busy event loop.
     */
    public static LatencyHistogram relayLatency() {
        return new LatencyHistogram(micros(10), micros(25), micros(50), micros(100), micros(250), micros(500),
                millis(1), millis(2.5), millis(5), millis(10), millis(25), millis(50), millis(100), millis(250),
                millis(1000));
    }

    /**
     * Bounds for setting up an allocation: 100 µs to 10 s, where binding a relay socket takes well under a
     * millisecond and seconds mean a credential lookup or the kernel is stuck.
     */
    public static LatencyHistogram allocationSetup() {
        return new LatencyHistogram(micros(100), micros(250), micros(500), millis(1), millis(2.5), millis(5),
                millis(10), millis(25), millis(50), millis(100), millis(250), millis(500), millis(1000), millis(2500),
                millis(5000), millis(10_000));
    }

    private static Duration micros(long n) {
        return Duration.ofNanos(n * 1000);
    }

    private static Duration millis(double n) {
        return Duration.ofNanos(Math.round(n * 1_000_000));
    }

    /** Counts one duration of {@code nanos} nanoseconds (a negative one, from a clock that stepped, as 0). */
    public void observe(long nanos) {
        long n = Math.max(0, nanos);
        int i = 0;
        while (i < bounds.length && n > bounds[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        sum.addAndGet(n);
    }

    /** What was counted so far. */
    public Snapshot snapshot() {
        List<Duration> upper = new ArrayList<>(bounds.length);
        List<Long> cumulative = new ArrayList<>(bounds.length + 1);
        long total = 0;
        for (int i = 0; i <= bounds.length; i++) {
            if (i < bounds.length) {
                upper.add(Duration.ofNanos(bounds[i]));
            }
            total += counts.get(i);
            cumulative.add(total);
        }
        return new Snapshot(upper, cumulative, Duration.ofNanos(sum.get()));
    }

    /**
     * A histogram at one moment: the bucket bounds, the cumulative count at each of them and at +Inf (one
     * more than bounds), and the sum. The sum is read after the buckets, so under load it may include a few
     * observations the buckets do not yet.
     *
     * @param bounds the upper bounds of the buckets, increasing, +Inf excepted
     * @param cumulative how many durations were at most each bound, then the count of all
     * @param sum the sum of all durations counted
     */
    public record Snapshot(List<Duration> bounds, List<Long> cumulative, Duration sum) {

        /** Copies the lists; the bounds must be one fewer than the counts. */
        public Snapshot {
            bounds = List.copyOf(bounds);
            cumulative = List.copyOf(cumulative);
            if (cumulative.size() != bounds.size() + 1) {
                throw new IllegalArgumentException("cumulative: " + cumulative.size() + " counts for " + bounds.size()
                        + " bounds (expected: one more, for +Inf)");
            }
        }

        /** How many durations were counted. */
        public long count() {
            return cumulative.get(cumulative.size() - 1);
        }
    }
}
