package dev.turnlab.server.cli;

import dev.turnlab.cli.DurationConverter;
import dev.turnlab.server.ConnectionLimits;
import dev.turnlab.server.TurnServerBuilder;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How much one user, one client, one allocation and the whole server may hold, and how much is logged. */
final class LimitsOptions {

    @Option(names = "--user-quota", paramLabel = "N", description = "Allocations per user, then 486 (default: no limit).")
    Integer userQuota;

    @Option(names = "--total-quota", paramLabel = "N", description = "Allocations in all, then 508 (default: the relay ports).")
    Integer totalQuota;

    @Option(names = "--peer-quota", paramLabel = "N",
            description = "Permissions, and channel bindings, per allocation, then 508 (default 1024).")
    Integer peerQuota;

    @Option(names = "--log-rate", paramLabel = "N",
            description = "Rejection and refusal log lines per second and client address, the rest summed up (default 10; 0: no limit).")
    Integer logRate;

    @Option(names = "--first-request-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Close a TCP/TLS connection that has sent no STUN request this long after it was accepted, e.g. 10s "
                    + "(a bare number is seconds; default 10s).")
    Duration firstRequestTimeout;

    @Option(names = "--partial-frame-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Close a TCP/TLS connection without an allocation whose begun frame is incomplete this long (default 10s).")
    Duration partialFrameTimeout;

    @Option(names = "--allocate-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Close a TCP/TLS connection that holds no allocation this long after it was accepted (default 60s, "
                    + "coturn's max-allocate-timeout).")
    Duration allocateTimeout;

    @Option(names = "--max-connections-per-source", paramLabel = "N",
            description = "TCP/TLS connections open at once per source (IPv4 address, IPv6 /64), more are reset (default 256; 0: no limit).")
    Integer maxConnectionsPerSource;

    @Option(names = "--max-connections", paramLabel = "N",
            description = "TCP/TLS connections open at once in all, more are reset (default: half the open-file limit; 0: no limit).")
    Integer maxConnections;

    /** Sets the quotas, the connection limits and the log rate on {@code b}. */
    void applyTo(TurnServerBuilder b) {
        if (userQuota != null) {
            b.userQuota(userQuota);
        }
        if (totalQuota != null) {
            b.totalQuota(totalQuota);
        }
        if (peerQuota != null) {
            b.peerQuota(peerQuota);
        }
        if (logRate != null) {
            b.logRate(logRate);
        }
        b.connectionLimits(connectionLimits());
    }

    private ConnectionLimits connectionLimits() {
        ConnectionLimits limits = ConnectionLimits.DEFAULT;
        if (firstRequestTimeout != null) {
            limits = limits.withFirstRequestTimeout(Main.seconds("first-request-timeout", firstRequestTimeout));
        }
        if (partialFrameTimeout != null) {
            limits = limits.withPartialFrameTimeout(Main.seconds("partial-frame-timeout", partialFrameTimeout));
        }
        if (allocateTimeout != null) {
            limits = limits.withAllocateTimeout(Main.seconds("allocate-timeout", allocateTimeout));
        }
        if (maxConnectionsPerSource != null) {
            limits = limits.withMaxConnectionsPerSource(maxConnectionsPerSource);
        }
        if (maxConnections != null) {
            limits = limits.withMaxConnections(maxConnections);
        }
        return limits;
    }
}
