package dev.turnlab.benchmarks.load;

import java.util.function.LongPredicate;

/**
 * The window of a session at {@code --rate max}: at most {@code window} probes in flight, a new one
 * sent for each that comes back or is given up. A probe is given up when it has not come back within
 * {@code lossTimeout} nanoseconds, or when {@link #REORDER_DEPTH} later probes have been sent, so a lost
 * packet frees its slot instead of shrinking the window for good. Memory is fixed; nothing is allocated.
 */
final class ClosedLoop {

    /** How many probes after an unanswered one are sent before it is given up regardless of its age. */
    static final int REORDER_DEPTH = 1024;

    private final int window;
    private final long lossTimeout;
    private final long[] sentAt = new long[REORDER_DEPTH];
    private final LongPredicate echoed;
    private long next;
    private long oldest;
    private int inFlight;
    private long givenUp;

    /** A window of {@code window} probes; {@code echoed} tells whether a sequence number came back. */
    ClosedLoop(int window, long lossTimeout, LongPredicate echoed) {
        if (window > REORDER_DEPTH) {
            throw new IllegalArgumentException("window: " + window + " (expected: at most " + REORDER_DEPTH + ")");
        }
        this.window = window;
        this.lossTimeout = lossTimeout;
        this.echoed = echoed;
    }

    /** Whether another probe may be sent now. */
    boolean hasRoom() {
        return inFlight < window;
    }

    /** Records that the probe with the next sequence number went out at {@code now}; returns that number. */
    long onSent(long now) {
        sentAt[slot(next)] = now;
        inFlight++;
        return next++;
    }

    /** Frees the slot of {@code sequence}, just echoed for the first time, unless it was given up already. */
    void onEcho(long sequence) {
        if (sequence >= oldest && sequence < next) {
            inFlight--;
        }
        advance(Long.MIN_VALUE);
    }

    /** Gives up the probes that are too old or too far behind at {@code now}, freeing their slots. */
    void expire(long now) {
        advance(now);
    }

    /** Probes sent and neither echoed nor given up. */
    int inFlight() {
        return inFlight;
    }

    /** Probes given up so far. */
    long givenUp() {
        return givenUp;
    }

    private void advance(long now) {
        while (oldest < next) {
            if (echoed.test(oldest)) {
                oldest++;
            } else if (next - oldest >= REORDER_DEPTH
                    || (now != Long.MIN_VALUE && now - sentAt[slot(oldest)] >= lossTimeout)) {
                inFlight--;
                givenUp++;
                oldest++;
            } else {
                return;
            }
        }
    }

    private static int slot(long sequence) {
        return (int) (sequence & (REORDER_DEPTH - 1));
    }
}
