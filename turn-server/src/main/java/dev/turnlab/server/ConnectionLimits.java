package dev.turnlab.server;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;

/**
 * What a TCP or TLS client connection may cost before it holds an allocation (RFC 8656 §3.1 leaves it to
 * the server). A connection must deliver its first STUN request within {@code firstRequestTimeout} of
 * being accepted (TLS handshake included), and a frame it has begun must complete within
 * {@code partialFrameTimeout}; bytes that trickle in do not extend either; and it must hold an allocation
 * within {@code allocateTimeout} of being accepted (coturn's {@code max-allocate-timeout}), so that a client
 * cannot keep a connection that relays nothing open with a small frame now and then. Once the connection
 * holds an allocation, only the idle rule of {@link TurnServerBuilder#idleTimeout} remains, as before. At most
 * {@code maxConnectionsPerSource} connections from one source (IPv4 address, IPv6 /64) and {@code maxConnections} in all are open at once; a
 * connection past either is closed as soon as it is accepted.
 *
 * @param firstRequestTimeout how long a new connection has to deliver its first STUN request
 * @param partialFrameTimeout how long a begun frame may stay incomplete on a connection without allocation
 * @param maxConnectionsPerSource open connections per source: IPv4 address or IPv6 /64 (0: no limit)
 * @param maxConnections open connections over all TCP and TLS listeners (0: no limit)
 * <p>A TCP relay's peer data connection (RFC 6062 §5.2, §5.3) that no ConnectionBind claims within
 * {@code connectionBindTimeout} is closed: the RFC's 30 seconds unless a test wants less.
 *
 * @param allocateTimeout how long a new connection may go without an allocation
 * @param connectionBindTimeout how long a TCP relay's peer data connection waits for its ConnectionBind
 */
public record ConnectionLimits(Duration firstRequestTimeout, Duration partialFrameTimeout, int maxConnectionsPerSource,
        int maxConnections, Duration allocateTimeout, Duration connectionBindTimeout) {

    /** The default first-request deadline: TLS handshake and one request take a round trip or three. */
    public static final Duration FIRST_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The default partial-frame deadline: the longest frame, 64 KiB, at 64 kbit/s. */
    public static final Duration PARTIAL_FRAME_TIMEOUT = Duration.ofSeconds(10);
    /** The default allocation deadline, coturn's {@code max-allocate-timeout}. */
    public static final Duration ALLOCATE_TIMEOUT = Duration.ofSeconds(60);
    /** The default per-source limit: room for a site's clients behind one NAT address. */
    public static final int MAX_CONNECTIONS_PER_SOURCE = 256;

    /** RFC 6062 §5.2, §5.3: a peer data connection is closed when no ConnectionBind came within 30 seconds. */
    public static final Duration CONNECTION_BIND_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The defaults: 10 s, 10 s, 256 per source, {@link #defaultMaxConnections()} in all, 60 s to allocate, 30 s
     * to bind.
     */
    public static final ConnectionLimits DEFAULT = new ConnectionLimits(FIRST_REQUEST_TIMEOUT, PARTIAL_FRAME_TIMEOUT,
            MAX_CONNECTIONS_PER_SOURCE, defaultMaxConnections(), ALLOCATE_TIMEOUT);

    /** Limits with the RFC's {@link #CONNECTION_BIND_TIMEOUT}. */
    public ConnectionLimits(Duration firstRequestTimeout, Duration partialFrameTimeout, int maxConnectionsPerSource,
            int maxConnections, Duration allocateTimeout) {
        this(firstRequestTimeout, partialFrameTimeout, maxConnectionsPerSource, maxConnections, allocateTimeout,
                CONNECTION_BIND_TIMEOUT);
    }

    /** Validates every component. */
    public ConnectionLimits {
        checkTimeout("firstRequestTimeout", firstRequestTimeout);
        checkTimeout("partialFrameTimeout", partialFrameTimeout);
        checkTimeout("allocateTimeout", allocateTimeout);
        checkTimeout("connectionBindTimeout", connectionBindTimeout);
        if (maxConnectionsPerSource < 0) {
            throw new IllegalArgumentException("maxConnectionsPerSource: " + maxConnectionsPerSource + " (expected: >= 0, 0 for no limit)");
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: >= 0, 0 for no limit)");
        }
    }

    /** These limits with another first-request deadline. */
    public ConnectionLimits withFirstRequestTimeout(Duration timeout) {
        return new ConnectionLimits(timeout, partialFrameTimeout, maxConnectionsPerSource, maxConnections, allocateTimeout, connectionBindTimeout);
    }

    /** These limits with another partial-frame deadline. */
    public ConnectionLimits withPartialFrameTimeout(Duration timeout) {
        return new ConnectionLimits(firstRequestTimeout, timeout, maxConnectionsPerSource, maxConnections, allocateTimeout, connectionBindTimeout);
    }

    /** These limits with another per-source limit (0: none). */
    public ConnectionLimits withMaxConnectionsPerSource(int connections) {
        return new ConnectionLimits(firstRequestTimeout, partialFrameTimeout, connections, maxConnections, allocateTimeout, connectionBindTimeout);
    }

    /** These limits with another total limit (0: none). */
    public ConnectionLimits withMaxConnections(int connections) {
        return new ConnectionLimits(firstRequestTimeout, partialFrameTimeout, maxConnectionsPerSource, connections, allocateTimeout, connectionBindTimeout);
    }

    /** These limits with another allocation deadline. */
    public ConnectionLimits withAllocateTimeout(Duration timeout) {
        return new ConnectionLimits(firstRequestTimeout, partialFrameTimeout, maxConnectionsPerSource, maxConnections, timeout, connectionBindTimeout);
    }

    /** These limits with another ConnectionBind deadline for TCP relays' peer data connections. */
    public ConnectionLimits withConnectionBindTimeout(Duration timeout) {
        return new ConnectionLimits(firstRequestTimeout, partialFrameTimeout, maxConnectionsPerSource, maxConnections,
                allocateTimeout, timeout);
    }

    /**
     * Half the process's open-file limit, as coturn estimates how many sessions it can hold: a stream
     * connection and its relay socket take a descriptor each, so the relays keep theirs. 10,000 when the
     * limit cannot be read.
     */
    public static int defaultMaxConnections() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long files = unix.getMaxFileDescriptorCount();
            if (files > 0) {
                return (int) Math.min(Integer.MAX_VALUE, Math.max(files / 2, 1));
            }
        }
        return 10_000;
    }

    private static void checkTimeout(String what, Duration timeout) {
        Objects.requireNonNull(timeout, what);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(what + ": " + timeout + " (expected: positive)");
        }
    }
}
