package dev.turnlab.server.allocation;

import dev.turnlab.server.PortRange;
import java.time.Clock;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The default {@link RelayPortAllocator}: the ports of a range, searched from a random start so that
 * relayed addresses are hard to guess (RFC 8656 §7.2 recommends randomised ports). A port whose relay
 * socket could not be bound is free again at once but not handed out before a back-off has passed, so a
 * port another process holds costs one failed bind per back-off, not one per Allocate.
 */
public final class RangePortAllocator implements RelayPortAllocator {

    /** How long a port that could not be bound is passed over (another process may hold it for long). */
    public static final Duration DEFAULT_BACK_OFF = Duration.ofSeconds(10);

    private final PortRange range;
    private final Clock clock;
    private final long backOffMillis;
    private final BitSet used;
    /** Ports in a back-off, with the time each may be handed out again. */
    private final BitSet backingOff;
    private final long[] retryAt;
    private int free;

    /** An allocator over {@code range}, all ports free, with the {@link #DEFAULT_BACK_OFF} on the system clock. */
    public RangePortAllocator(PortRange range) {
        this(range, Clock.systemUTC(), DEFAULT_BACK_OFF);
    }

    /** An allocator over {@code range} that passes a port that failed to bind over for {@code backOff} of {@code clock}. */
    public RangePortAllocator(PortRange range, Clock clock, Duration backOff) {
        if (backOff.isNegative()) {
            throw new IllegalArgumentException("backOff: " + backOff + " (expected: >= 0)");
        }
        this.range = range;
        this.clock = clock;
        this.backOffMillis = backOff.toMillis();
        this.used = new BitSet(range.size());
        this.backingOff = new BitSet(range.size());
        this.retryAt = new long[range.size()];
        this.free = range.size();
    }

    @Override
    public synchronized int acquire(boolean even) {
        int size = range.size();
        int start = ThreadLocalRandom.current().nextInt(size);
        long now = backingOff.isEmpty() ? 0 : clock.millis();
        for (int i = 0; i < size; i++) {
            int index = (start + i) % size;
            int port = range.min() + index;
            if (!used.get(index) && (!even || port % 2 == 0) && !inBackOff(index, now)) {
                take(index);
                return port;
            }
        }
        return -1;
    }

    @Override
    public synchronized boolean acquire(int port) {
        if (!range.contains(port)) {
            return false;
        }
        int index = port - range.min();
        if (used.get(index) || inBackOff(index, backingOff.get(index) ? clock.millis() : 0)) {
            return false;
        }
        take(index);
        return true;
    }

    @Override
    public synchronized void release(int port) {
        if (range.contains(port) && used.get(port - range.min())) {
            used.clear(port - range.min());
            free++;
        }
    }

    @Override
    public synchronized void releaseAfterBindFailure(int port) {
        if (range.contains(port) && used.get(port - range.min())) {
            int index = port - range.min();
            release(port);
            if (backOffMillis > 0) {
                backingOff.set(index);
                retryAt[index] = clock.millis() + backOffMillis;
            }
        }
    }

    @Override
    public synchronized int available() {
        return free;
    }

    /** How many free ports are in their back-off after a failed bind. */
    public synchronized int backingOff() {
        long now = clock.millis();
        int n = 0;
        for (int i = backingOff.nextSetBit(0); i >= 0; i = backingOff.nextSetBit(i + 1)) {
            n += retryAt[i] > now ? 1 : 0;
        }
        return n;
    }

    /** Whether the port at {@code index} is in its back-off at {@code now}; ends a back-off that is over. */
    private boolean inBackOff(int index, long now) {
        if (!backingOff.get(index)) {
            return false;
        }
        // Over, or the clock went back by more than the back-off: hand it out again.
        if (now >= retryAt[index] || retryAt[index] - now > backOffMillis) {
            backingOff.clear(index);
            return false;
        }
        return true;
    }

    private void take(int index) {
        used.set(index);
        backingOff.clear(index);
        free--;
    }
}
