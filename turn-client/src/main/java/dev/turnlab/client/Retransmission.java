package dev.turnlab.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * When a request is sent and when the client gives up on it (RFC 8489 §6.2.1, §6.2.2). Over UDP the
 * request goes out at 0, RTO, 3 RTO, 7 RTO... (the interval doubles) up to Rc transmissions, and the
 * client gives up Rm × RTO after the last one: 0, 0.5, 1.5, 3.5, 7.5, 15.5 and 31.5 s, then a timeout
 * at 39.5 s with the defaults. Over TCP and TLS the request goes out once and the client waits Ti,
 * 39.5 s by default. {@link #within(Duration)} caps both, for checks that cannot wait that long.
 */
public final class Retransmission {

    /** RFC 8489 §6.2.1's recommended initial RTO. */
    public static final Duration DEFAULT_RTO = Duration.ofMillis(500);
    /** RFC 8489 §6.2.1's Rc: at most seven transmissions. */
    public static final int DEFAULT_RC = 7;
    /** RFC 8489 §6.2.1's Rm: wait 16 RTO after the last transmission. */
    public static final int DEFAULT_RM = 16;
    /** RFC 8489 §6.2.2's Ti for reliable transports. */
    public static final Duration DEFAULT_TI = Duration.ofMillis(39_500);

    private final List<Duration> transmissions;
    private final Duration timeout;

    private Retransmission(List<Duration> transmissions, Duration timeout) {
        this.transmissions = List.copyOf(transmissions);
        this.timeout = timeout;
    }

    /** The UDP schedule with RFC 8489's defaults: RTO 500 ms, Rc 7, Rm 16. */
    public static Retransmission udp() {
        return udp(DEFAULT_RTO, DEFAULT_RC, DEFAULT_RM);
    }

    /** The UDP schedule for the given RTO, Rc and Rm (RFC 8489 §6.2.1). */
    public static Retransmission udp(Duration rto, int rc, int rm) {
        Objects.requireNonNull(rto, "rto");
        if (rto.isNegative() || rto.isZero()) {
            throw new IllegalArgumentException("rto: " + rto + " (expected: > 0)");
        }
        if (rc < 1 || rc > 30) {
            throw new IllegalArgumentException("rc: " + rc + " (expected: 1-30)");
        }
        if (rm < 1) {
            throw new IllegalArgumentException("rm: " + rm + " (expected: >= 1)");
        }
        List<Duration> at = new ArrayList<>(rc);
        Duration next = Duration.ZERO;
        Duration interval = rto;
        for (int i = 0; i < rc; i++) {
            at.add(next);
            next = next.plus(interval);
            interval = interval.multipliedBy(2);
        }
        return new Retransmission(at, at.get(rc - 1).plus(rto.multipliedBy(rm)));
    }

    /** A single transmission and a timeout of {@code ti}, for TCP and TLS (RFC 8489 §6.2.2). */
    public static Retransmission reliable(Duration ti) {
        Objects.requireNonNull(ti, "ti");
        if (ti.isNegative() || ti.isZero()) {
            throw new IllegalArgumentException("ti: " + ti + " (expected: > 0)");
        }
        return new Retransmission(List.of(Duration.ZERO), ti);
    }

    /** The RFC 8489 default for the transport: {@link #udp()} or {@link #reliable(Duration)} with 39.5 s. */
    public static Retransmission defaultFor(Transport transport) {
        return transport.isReliable() ? reliable(DEFAULT_TI) : udp();
    }

    /** This schedule, giving up at {@code limit} at the latest: transmissions at or after it are dropped. */
    public Retransmission within(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
        }
        if (limit.compareTo(timeout) >= 0) {
            return this;
        }
        List<Duration> kept = new ArrayList<>();
        for (Duration d : transmissions) {
            if (d.compareTo(limit) < 0) {
                kept.add(d);
            }
        }
        return new Retransmission(kept, limit);
    }

    /** When each transmission goes out, measured from the first (which is at zero). */
    public List<Duration> transmissions() {
        return transmissions;
    }

    /** When the client gives up, measured from the first transmission. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Retransmission r && r.transmissions.equals(transmissions) && r.timeout.equals(timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(transmissions, timeout);
    }

    @Override
    public String toString() {
        return "Retransmission" + transmissions + " timeout " + timeout;
    }
}
