package dev.turnlab.benchmarks.load;

import org.HdrHistogram.Histogram;

/**
 * The measured counts of one or more sessions over the steady-state window.
 *
 * @param sent probes sent in the window
 * @param received distinct probes of the window echoed back
 * @param duplicates probes that arrived more than once
 * @param reordered probes that arrived after a later one
 * @param tooLate probes so late they could not be told from duplicates
 * @param corrupt echoes whose payload was not a probe of the configured size
 * @param malformed frames that were neither ChannelData nor a STUN message understood
 * @param socketErrors errors the sockets reported: ICMP errors on UDP, resets or broken frames on TCP
 * @param unsent paced probes never sent because the socket's outbound buffer was full
 * @param givenUp closed-loop probes given up for lost so that the window could move on
 * @param refreshes successful refreshes of allocation and channel or permission during a long run
 * @param refreshFailures failed refreshes during a long run
 * @param rtt round-trip times of the measured probes, in microseconds
 */
record Tally(long sent, long received, long duplicates, long reordered, long tooLate, long corrupt,
        long malformed, long socketErrors, long unsent,
        long givenUp, long refreshes, long refreshFailures,
        Histogram rtt) {

    /** Nothing measured. */
    static Tally empty() {
        return new Tally(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, new Histogram(SessionStats.MAX_RTT_MICROS, 3));
    }

    /**
     * The sum of many, added into one histogram: folding {@link #plus} over thousands of sessions would copy
     * the growing histogram once per session.
     */
    static Tally sum(Iterable<Tally> tallies) {
        Histogram merged = new Histogram(SessionStats.MAX_RTT_MICROS, 3);
        long[] c = new long[12];
        for (Tally t : tallies) {
            long[] counts = {t.sent, t.received, t.duplicates, t.reordered, t.tooLate, t.corrupt, t.malformed,
                t.socketErrors, t.unsent, t.givenUp, t.refreshes, t.refreshFailures};
            for (int i = 0; i < c.length; i++) {
                c[i] += counts[i];
            }
            merged.add(t.rtt);
        }
        return new Tally(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], merged);
    }

    /** The sum of this and {@code other}. */
    Tally plus(Tally other) {
        Histogram merged = rtt.copy();
        merged.add(other.rtt);
        return new Tally(sent + other.sent, received + other.received, duplicates + other.duplicates,
                reordered + other.reordered, tooLate + other.tooLate, corrupt + other.corrupt,
                malformed + other.malformed, socketErrors + other.socketErrors, unsent + other.unsent,
                givenUp + other.givenUp, refreshes + other.refreshes, refreshFailures + other.refreshFailures, merged);
    }

    /** The share of the window's probes that never came back, in percent. */
    double lossPercent() {
        return sent == 0 ? 0 : 100.0 * Math.max(0, sent - received) / sent;
    }
}
