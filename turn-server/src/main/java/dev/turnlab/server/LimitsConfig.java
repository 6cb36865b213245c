package dev.turnlab.server;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link TurnServer}'s clients may cost: allocation quotas (RFC 8656 §7.2: 486 and 508), the
 * permissions and channels of one allocation, log lines per client, and what TCP and TLS connections may
 * hold open. Validated when constructed.
 *
 * @param userQuota allocations per user, then 486 (0: no limit)
 * @param totalQuota allocations in all, then 508 (0: only the relay ports limit)
 * @param peerQuota permissions, and as many channel bindings, per allocation; then 508
 * @param logRate rejection, refusal, refresh and malformed-input log lines per second and client address (0: no limit)
 * @param idleTimeout how long a TCP or TLS connection without an allocation may stay idle
 * @param connections the deadlines and caps of TCP and TLS connections without an allocation
 * @param bandwidth the bandwidth of each allocation and of the whole server (coturn's max-bps, bps-capacity)
 */
public record LimitsConfig(int userQuota, int totalQuota, int peerQuota, int logRate, Duration idleTimeout,
        ConnectionLimits connections, BandwidthLimits bandwidth) {

    /**
     * The defaults: no quotas, 1024 peers per allocation, 10 log lines a second, 60 s idle, {@link ConnectionLimits#DEFAULT},
     * {@link BandwidthLimits#NONE}.
     */
    public static final LimitsConfig DEFAULT = new LimitsConfig(0, 0, 1024, 10, Duration.ofSeconds(60),
            ConnectionLimits.DEFAULT, BandwidthLimits.NONE);

    /** Limits as above without bandwidth limits ({@link BandwidthLimits#NONE}). */
    public LimitsConfig(int userQuota, int totalQuota, int peerQuota, int logRate, Duration idleTimeout,
            ConnectionLimits connections) {
        this(userQuota, totalQuota, peerQuota, logRate, idleTimeout, connections, BandwidthLimits.NONE);
    }

    /** Validates every component. */
    public LimitsConfig {
        checkQuota("userQuota", userQuota);
        checkQuota("totalQuota", totalQuota);
        checkPeerQuota(peerQuota);
        checkLogRate(logRate);
        checkIdleTimeout(idleTimeout);
        Objects.requireNonNull(connections, "connectionLimits");
        Objects.requireNonNull(bandwidth, "bandwidth");
    }

    static int checkQuota(String what, int quota) {
        if (quota < 0) {
            throw new IllegalArgumentException(what + ": " + quota + " (expected: >= 0, 0 for no limit)");
        }
        return quota;
    }

    static int checkPeerQuota(int quota) {
        if (quota < 1) {
            throw new IllegalArgumentException("peerQuota: " + quota + " (expected: >= 1)");
        }
        return quota;
    }

    static int checkLogRate(int linesPerSecond) {
        if (linesPerSecond < 0) {
            throw new IllegalArgumentException("logRate: " + linesPerSecond + " (expected: >= 0, 0 for no limit)");
        }
        return linesPerSecond;
    }

    static Duration checkIdleTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout: " + timeout + " (expected: positive)");
        }
        return timeout;
    }
}
