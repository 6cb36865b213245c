package dev.turnlab.benchmarks.load;

/**
 * Classifies the sequence numbers one session receives as new, duplicate or reordered, remembering the
 * last {@value #WINDOW} numbers below the highest seen in a ring of bits: constant memory, no allocation.
 */
final class SequenceTracker {

    /** How far behind the highest sequence number a duplicate is still recognised. */
    static final int WINDOW = 1 << 16;

    private final long[] seen = new long[WINDOW / 64];
    private long highest = -1;
    private long duplicates;
    private long reordered;
    private long tooLate;

    /** Records {@code sequence}; returns {@code false} when it was seen before (or is too old to tell). */
    boolean accept(long sequence) {
        if (sequence > highest) {
            clearUpTo(sequence);
            highest = sequence;
            mark(sequence);
            return true;
        }
        if (highest - sequence >= WINDOW) {
            tooLate++;
            return false;
        }
        if (isMarked(sequence)) {
            duplicates++;
            return false;
        }
        mark(sequence);
        reordered++;
        return true;
    }

    /** Whether {@code sequence} has arrived; {@code false} for numbers too far behind to remember. */
    boolean seen(long sequence) {
        return sequence <= highest && highest - sequence < WINDOW && isMarked(sequence);
    }

    /** Packets that arrived more than once. */
    long duplicates() {
        return duplicates;
    }

    /** Packets that arrived after one with a higher sequence number. */
    long reordered() {
        return reordered;
    }

    /** Packets so late that they fell out of the window; not counted as received. */
    long tooLate() {
        return tooLate;
    }

    private void clearUpTo(long sequence) {
        long from = highest + 1;
        if (sequence - from >= WINDOW) {
            java.util.Arrays.fill(seen, 0L);
            return;
        }
        for (long s = from; s <= sequence; s++) {
            int bit = (int) (s & (WINDOW - 1));
            seen[bit >>> 6] &= ~(1L << bit);
        }
    }

    private void mark(long sequence) {
        int bit = (int) (sequence & (WINDOW - 1));
        seen[bit >>> 6] |= 1L << bit;
    }

    private boolean isMarked(long sequence) {
        int bit = (int) (sequence & (WINDOW - 1));
        return (seen[bit >>> 6] & (1L << bit)) != 0;
    }
}
