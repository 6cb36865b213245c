package dev.turnlab.server.handler;

import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.Deletion;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.relay.PeerRule;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * One line per allocation event, like the Expressway-E event log: created (user, client, relayed
 * address), refreshed, deleted (with packets and bytes each way), and one per rejected request (user,
 * realm, source and reason; never a password, key or MAC). Values a client chose (USERNAME, REALM,
 * SOFTWARE, decoder reasons) are quoted and escaped ({@link LogText}); lines a client can repeat at will
 * (rejections, refusals, refreshes, malformed input) are limited per source address ({@link LogLimiter}).
 */
public final class AllocationLog {

    private static final Logger ALLOCATIONS = LoggerFactory.getLogger("dev.turnlab.server.allocation");
    private static final Logger AUTHENTICATION = LoggerFactory.getLogger("dev.turnlab.server.auth");
    /** How many source addresses the rate limit tracks before sources share one budget. */
    private static final int MAX_SOURCES = 4096;

    private final Logger log;
    private final Logger auth;
    private final Clock clock;
    private final LogLimiter limiter;

    /** A log of at most {@code linesPerSecond} repeatable lines per source address and second (0: no limit). */
    public AllocationLog(Clock clock, int linesPerSecond) {
        this(ALLOCATIONS, AUTHENTICATION, clock, linesPerSecond);
    }

    private AllocationLog(Logger allocations, Logger authentication, Clock clock, int linesPerSecond) {
        this.log = allocations;
        this.auth = authentication;
        this.clock = clock;
        this.limiter = new LogLimiter(linesPerSecond, MAX_SOURCES, (source, n) -> log.warn(
                "TURN log lines suppressed: source={} lines={} (over the per-source rate limit)", source, n));
    }

    /** A log that writes nothing: for harnesses (tests, fuzzing) whose allocations are no events. */
    public static AllocationLog silent(Clock clock) {
        return new AllocationLog(NOPLogger.NOP_LOGGER, NOPLogger.NOP_LOGGER, clock, 0);
    }

    /** Reports suppressed lines of ended seconds and forgets idle sources; called by the server's sweep. */
    public void flush() {
        limiter.flush(clock.millis());
    }

    private boolean admit(FiveTuple source) {
        return limiter.admit(source.client().getAddress(), clock.millis());
    }

    void created(Allocation a, Duration lifetime, String software) {
        log.info("TURN allocation created: user={} client={} relayed={} lifetime={}s software={}",
                LogText.quote(a.username()), a.fiveTuple(), FiveTuple.format(a.relayedAddress()),
                lifetime.getSeconds(), LogText.quote(software));
    }

    void refreshed(Allocation a, Duration lifetime) {
        if (log.isInfoEnabled() && admit(a.fiveTuple())) {
            log.info("TURN allocation refreshed: user={} client={} relayed={} lifetime={}s",
                    LogText.quote(a.username()), a.fiveTuple(), FiveTuple.format(a.relayedAddress()),
                    lifetime.getSeconds());
        }
    }

    void deleted(Allocation a, Deletion why) {
        log.info("TURN allocation deleted: user={} client={} relayed={} reason={} to-peer={} packets/{} bytes"
                        + " to-client={} packets/{} bytes", LogText.quote(a.username()), a.fiveTuple(),
                FiveTuple.format(a.relayedAddress()), why.description(), a.packetsToPeer(), a.bytesToPeer(),
                a.packetsToClient(), a.bytesToClient());
    }

    /**
     * Datagrams of {@code a} dropped over its bandwidth limit since the last such line: debug, at most once per
     * allocation and sweep and limited per client address, never a line per datagram.
     */
    void overRate(Allocation a) {
        if (a.maxBps() == 0 || !log.isDebugEnabled()) {
            return;
        }
        long[] dropped = a.overRateSinceReported();
        if ((dropped[0] > 0 || dropped[1] > 0) && admit(a.fiveTuple())) {
            log.debug("TURN bandwidth limit: user={} client={} relayed={} max-bps={} dropped to-peer={} packets"
                    + " to-client={} packets since the last report", LogText.quote(a.username()), a.fiveTuple(),
                    FiveTuple.format(a.relayedAddress()), a.maxBps(), dropped[0], dropped[1]);
        }
    }

    void rejected(String method, String user, String realm, FiveTuple source, int code, String reason) {
        if (auth.isInfoEnabled() && admit(source)) {
            auth.info("TURN request rejected: method={} user={} realm={} source={} error={} reason={}", method,
                    LogText.quote(user), LogText.quote(realm), source, code, LogText.escape(reason));
        }
    }

    /** A login refused by the failed-login limits, without its password checked: debug, as it comes in floods. */
    void loginLimited(String method, String user, FiveTuple source, String reason) {
        if (auth.isDebugEnabled() && admit(source)) {
            auth.debug("TURN login limited: method={} user={} source={} reason={}", method, LogText.quote(user),
                    source, reason);
        }
    }

    void refused(String method, String user, FiveTuple source, int code, String reason) {
        if (log.isInfoEnabled() && admit(source)) {
            log.info("TURN request refused: method={} user={} source={} error={} reason={}", method,
                    LogText.quote(user), source, code, LogText.escape(reason));
        }
    }

    /**
     * A relay socket that could not be bound to {@code address}: another socket holds the port, or the
     * address is gone. Limited per relay address, since every Allocate may meet such a port.
     */
    void relayUnavailable(InetSocketAddress address, Throwable cause) {
        if (log.isWarnEnabled() && limiter.admit(address.getAddress(), clock.millis())) {
            log.warn("TURN relay port unavailable: address={} cannot bind: {} (tried again after a back-off)",
                    FiveTuple.format(address), LogText.escape(cause == null ? "unknown" : LogText.socketError(cause)));
        }
    }

    /**
     * A 403 for a peer: the peer as the client {@code named} it (and the {@code target} this server reaches,
     * where that differs), and the rule of the peer policy that refused it.
     */
    void forbidden(String method, String user, FiveTuple source, InetSocketAddress named, InetSocketAddress target,
            PeerRule rule) {
        if (log.isInfoEnabled() && admit(source)) {
            log.info("TURN request refused: method={} user={} source={} error=403 reason=Forbidden peer={} rule={}",
                    method, LogText.quote(user), source, peer(named, target), rule);
        }
    }

    /** A Send indication dropped because the peer policy refuses its peer (no response is sent). */
    void sendRefused(String user, FiveTuple source, InetSocketAddress named, InetSocketAddress target, PeerRule rule) {
        if (log.isDebugEnabled() && admit(source)) {
            log.debug("TURN Send indication dropped: user={} source={} peer={} rule={}", LogText.quote(user), source,
                    peer(named, target), rule);
        }
    }

    /** A peer as the client named it, and where this server reaches it when that differs (a static NAT). */
    private static String peer(InetSocketAddress named, InetSocketAddress target) {
        String peer = FiveTuple.format(named);
        return named.equals(target) ? peer : peer + " (reached as " + FiveTuple.format(target) + ")";
    }

    void malformed(FiveTuple source, String reason) {
        if (log.isDebugEnabled() && admit(source)) {
            log.debug("malformed STUN from {}: {}", source, LogText.escape(reason));
        }
    }

    /** A TCP or TLS connection closed as soon as it was accepted (debug, limited per source). */
    public void connectionRefused(InetSocketAddress client, ConnectionRefusal why, int limit) {
        if (log.isDebugEnabled() && limiter.admit(client.getAddress(), clock.millis())) {
            log.debug("TURN connection refused: client={} reason={} limit={}", FiveTuple.format(client), why.label(), limit);
        }
    }

    /** A TCP or TLS connection without an allocation closed by the server (debug, limited per source). */
    void connectionTimedOut(FiveTuple connection, ConnectionTimeout why, int heldBytes) {
        if (log.isDebugEnabled() && admit(connection)) {
            log.debug("TURN connection closed: {} reason={} held={} bytes", connection, why.label(), heldBytes);
        }
    }

    void challenged(String method, FiveTuple source) {
        if (auth.isDebugEnabled() && admit(source)) {
            auth.debug("TURN challenge: method={} source={}", method, source);
        }
    }
}
