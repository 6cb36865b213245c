package dev.turnlab.codec.dtls;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link DtlsHandler} holds for remote addresses it has not authenticated: associations still
 * handshaking in all and per source IP, how long a handshake may take, when an established association
 * that receives nothing is forgotten, and the first retransmission timeout (RFC 6347 §4.2.4.1: 1 s,
 * doubled on each retransmission up to 60 s).
 *
 * @param maxHandshakes handshakes under way at once; a ClientHello past it is dropped and counted
 * @param maxHandshakesPerSource handshakes under way at once from one IP address
 * @param handshakeTimeout how long a handshake may take before its association is dropped
 * @param idleTimeout how long an established association may receive nothing before it is dropped
 * @param initialRetransmit the first retransmission timeout of a flight
 */
public record DtlsLimits(int maxHandshakes, int maxHandshakesPerSource, Duration handshakeTimeout,
        Duration idleTimeout, Duration initialRetransmit) {

    /** The longest retransmission timeout (RFC 6347 §4.2.4.1). */
    static final long MAX_RETRANSMIT_MILLIS = 60_000;

    /**
     * 1024 handshakes, 16 per source address, 10 s to finish one, 1 hour of silence (longer than the
     * longest allocation lifetime a client must refresh within), 1 s first retransmission.
     */
    public static final DtlsLimits DEFAULT = new DtlsLimits(1024, 16, Duration.ofSeconds(10), Duration.ofHours(1),
            Duration.ofSeconds(1));

    /** Checks every component. */
    public DtlsLimits {
        if (maxHandshakes < 1 || maxHandshakesPerSource < 1) {
            throw new IllegalArgumentException("maxHandshakes: " + maxHandshakes + ", maxHandshakesPerSource: "
                    + maxHandshakesPerSource + " (expected: >= 1)");
        }
        positive("handshakeTimeout", handshakeTimeout);
        positive("idleTimeout", idleTimeout);
        positive("initialRetransmit", initialRetransmit);
    }

    /** These limits with {@code timeout} for a handshake. */
    public DtlsLimits withHandshakeTimeout(Duration timeout) {
        return new DtlsLimits(maxHandshakes, maxHandshakesPerSource, timeout, idleTimeout, initialRetransmit);
    }

    private static void positive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + ": " + d + " (expected: > 0)");
        }
    }
}
