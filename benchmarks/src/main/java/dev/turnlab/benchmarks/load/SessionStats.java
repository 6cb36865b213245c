package dev.turnlab.benchmarks.load;

import org.HdrHistogram.Histogram;

/**
 * What one session measured. Written only by the session's event loop; {@link #sent()} and
 * {@link #received()} may be read from any thread for the progress line.
 */
final class SessionStats {

    /** The largest round trip recorded, in microseconds; longer ones are clamped to it. */
    static final long MAX_RTT_MICROS = 60_000_000L;

    private final SequenceTracker sequences = new SequenceTracker();
    /** Made when the window is set, not with the session: 140 KB each, none of it needed during the setup. */
    private Histogram rtt;
    private long measureStart = Long.MAX_VALUE;
    private long measureEnd = Long.MAX_VALUE;
    private volatile long sent;
    private volatile long received;
    private long sentMeasured;
    private long receivedMeasured;
    private long corrupt;
    private long malformed;
    private long socketErrors;
    private long unsent;
    private long refreshes;
    private long refreshFailures;

    /** Sets the steady-state window: probes sent in [start, end) are measured; call before any echo. */
    void window(long start, long end) {
        if (rtt == null) {
            rtt = newHistogram();
        }
        measureStart = start;
        measureEnd = end;
    }

    /** Counts a probe sent at {@code nanos}. */
    void onSent(long nanos) {
        sent++;
        if (nanos >= measureStart && nanos < measureEnd) {
            sentMeasured++;
        }
    }

    /**
     * Counts an echoed probe; measured ones add their round trip to the histogram. Returns whether it
     * is the first echo of that sequence number.
     */
    boolean onEcho(long sequence, long sentNanos, long nowNanos) {
        if (!sequences.accept(sequence)) {
            return false;
        }
        received++;
        if (sentNanos >= measureStart && sentNanos < measureEnd) {
            receivedMeasured++;
            rtt.recordValue(Math.min(MAX_RTT_MICROS, Math.max(0, (nowNanos - sentNanos) / 1000)));
        }
        return true;
    }

    /** Whether {@code sequence} has been echoed (within the last {@value SequenceTracker#WINDOW}). */
    boolean echoed(long sequence) {
        return sequences.seen(sequence);
    }

    /** Counts an echo whose payload is not a probe of the configured size. */
    void onCorrupt() {
        corrupt++;
    }

    /** Counts a frame that is neither ChannelData nor a STUN message this client understands. */
    void onMalformed() {
        malformed++;
    }

    /** Counts paced probes skipped because the socket's outbound buffer was full: the generator fell behind. */
    void onUnsent(long probes) {
        unsent += probes;
    }

    /** Counts an error the socket reported: an ICMP error on UDP, a reset or a broken frame on TCP. */
    void onSocketError() {
        socketErrors++;
    }

    /** Counts a Refresh followed by a renewed channel binding or permission, both successful. */
    void onRefreshed() {
        refreshes++;
    }

    /** Counts a failed Refresh, ChannelBind or CreatePermission during a long run. */
    void onRefreshFailure() {
        refreshFailures++;
    }

    /** Probes sent so far, warm-up included. */
    long sent() {
        return sent;
    }

    /** Distinct probes echoed so far, warm-up included. */
    long received() {
        return received;
    }

    /** A copy of the counts and the histogram, with {@code givenUp} closed-loop probes; call on the event loop. */
    Tally tally(long givenUp) {
        return new Tally(sentMeasured, receivedMeasured, sequences.duplicates(), sequences.reordered(),
                sequences.tooLate(), corrupt, malformed, socketErrors, unsent, givenUp, refreshes, refreshFailures,
                rtt == null ? newHistogram() : rtt.copy());
    }

    private static Histogram newHistogram() {
        return new Histogram(MAX_RTT_MICROS, 3);
    }
}
