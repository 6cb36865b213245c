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
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One line per allocation event, like the Expressway-E event log: created (allocation id, user, client,
 * relayed address), refreshed, deleted (with packets and bytes each way), and one per rejected request
 * (user, realm, source, reason and the allocation it concerns; never a password, key or MAC). Each event is
 * a fixed message with its values as SLF4J key-value pairs, so that a log encoder writes them as fields
 * (logfmt, JSON lines; Logback's pattern word {@code %kvp}). Values a client chose (USERNAME, REALM,
 * SOFTWARE, decoder reasons) are cut to a bounded length ({@link LogText#bounded}) and left for the encoder to
 * escape; lines a client can repeat at will (rejections, refusals, refreshes, malformed input) are limited
 * per source address ({@link LogLimiter}).
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
    private final AllocationEvents events;

    /** A log of at most {@code linesPerSecond} repeatable lines per source address and second (0: no limit). */
    public AllocationLog(Clock clock, int linesPerSecond) {
        this(ALLOCATIONS, AUTHENTICATION, clock, linesPerSecond);
    }

    private AllocationLog(Logger allocations, Logger authentication, Clock clock, int linesPerSecond) {
        this.log = allocations;
        this.auth = authentication;
        this.clock = clock;
        this.limiter = new LogLimiter(linesPerSecond, MAX_SOURCES, (source, n) -> log.atWarn()
                .setMessage("TURN log lines suppressed (over the per-source rate limit)").addKeyValue("source", source)
                .addKeyValue("lines", n).log());
        this.events = AllocationEvents.NONE;
    }

    private AllocationLog(AllocationLog log, AllocationEvents events) {
        this.log = log.log;
        this.auth = log.auth;
        this.clock = log.clock;
        this.limiter = log.limiter;
        this.events = events;
    }

    /** This log, that also reports allocations' lives to {@code events} (the cluster's Redis). */
    public AllocationLog withEvents(AllocationEvents events) {
        return new AllocationLog(this, events);
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
        LoggingEventBuilder event = allocation(log.atInfo(), "TURN allocation created", a)
                .addKeyValue("lifetime", lifetime.getSeconds());
        if (software != null) {
            event.addKeyValue("software", LogText.bounded(software));
        }
        event.log();
        events.created(a, lifetime);
    }

    void refreshed(Allocation a, Duration lifetime) {
        events.refreshed(a, lifetime);
        if (log.isInfoEnabled() && admit(a.fiveTuple())) {
            allocation(log.atInfo(), "TURN allocation refreshed", a).addKeyValue("lifetime", lifetime.getSeconds()).log();
        }
    }

    void deleted(Allocation a, Deletion why) {
        allocation(log.atInfo(), "TURN allocation deleted", a).addKeyValue("reason", why.description())
                .addKeyValue("to_peer_packets", a.packetsToPeer()).addKeyValue("to_peer_bytes", a.bytesToPeer())
                .addKeyValue("to_client_packets", a.packetsToClient()).addKeyValue("to_client_bytes", a.bytesToClient())
                .log();
        events.deleted(a);
    }

    /** The sweep passed {@code a}, which lives on: its over-rate drops are logged and its traffic reported. */
    void swept(Allocation a) {
        overRate(a);
        events.swept(a);
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
            allocation(log.atDebug(), "TURN bandwidth limit: dropped since the last report", a)
                    .addKeyValue("max_bps", a.maxBps()).addKeyValue("to_peer_packets", dropped[0])
                    .addKeyValue("to_client_packets", dropped[1]).log();
        }
    }

    /** An event about {@code a}: its id, user, client 5-tuple and relayed address, in that order. */
    private static LoggingEventBuilder allocation(LoggingEventBuilder event, String message, Allocation a) {
        return event.setMessage(message).addKeyValue("id", a.id()).addKeyValue("user", LogText.bounded(a.username()))
                .addKeyValue("client", a.fiveTuple().toString()).addKeyValue("relayed", FiveTuple.format(a.relayedAddress()));
    }

    /**
     * A request refused for its credentials; {@code allocation} is the id of the allocation its 5-tuple holds,
     * or null.
     */
    void rejected(String method, String user, String realm, FiveTuple source, String allocation, int code, String reason) {
        if (auth.isInfoEnabled() && admit(source)) {
            request(auth.atInfo(), "TURN request rejected", method, user, source, allocation).addKeyValue("realm",
                    LogText.bounded(realm)).addKeyValue("error", code).addKeyValue("reason", LogText.bounded(reason)).log();
        }
    }

    /** A login refused by the failed-login limits, without its password checked: debug, as it comes in floods. */
    void loginLimited(String method, String user, FiveTuple source, String reason) {
        if (auth.isDebugEnabled() && admit(source)) {
            request(auth.atDebug(), "TURN login limited", method, user, source, null).addKeyValue("reason", reason).log();
        }
    }

    /** An authenticated request answered with an error; {@code allocation} is the id of the one it concerns, or null. */
    void refused(String method, String user, FiveTuple source, String allocation, int code, String reason) {
        if (log.isInfoEnabled() && admit(source)) {
            request(log.atInfo(), "TURN request refused", method, user, source, allocation).addKeyValue("error", code)
                    .addKeyValue("reason", LogText.bounded(reason)).log();
        }
    }

    /** An event about a request: its method, user, source 5-tuple and the allocation it concerns, when known. */
    private static LoggingEventBuilder request(LoggingEventBuilder event, String message, String method, String user,
            FiveTuple source, String allocation) {
        event.setMessage(message);
        if (allocation != null) {
            event.addKeyValue("id", allocation);
        }
        return event.addKeyValue("method", method).addKeyValue("user", LogText.bounded(user))
                .addKeyValue("source", source.toString());
    }

    /**
     * A relay socket that could not be bound to {@code address}: another socket holds the port, or the
     * address is gone. Limited per relay address, since every Allocate may meet such a port.
     */
    void relayUnavailable(InetSocketAddress address, Throwable cause) {
        if (log.isWarnEnabled() && limiter.admit(address.getAddress(), clock.millis())) {
            log.atWarn().setMessage("TURN relay port unavailable (tried again after a back-off)")
                    .addKeyValue("address", FiveTuple.format(address))
                    .addKeyValue("error", LogText.bounded(cause == null ? "unknown" : LogText.socketError(cause))).log();
        }
    }

    /**
     * A 403 for a peer: the peer as the client {@code named} it (and the {@code target} this server reaches,
     * where that differs), and the rule of the peer policy that refused it.
     */
    void forbidden(String method, String user, FiveTuple source, String allocation, InetSocketAddress named,
            InetSocketAddress target, PeerRule rule) {
        if (log.isInfoEnabled() && admit(source)) {
            peer(request(log.atInfo(), "TURN request refused", method, user, source, allocation).addKeyValue("error", 403)
                    .addKeyValue("reason", "Forbidden"), named, target).addKeyValue("rule", rule.toString()).log();
        }
    }

    /** A Send indication dropped because the peer policy refuses its peer (no response is sent). */
    void sendRefused(Allocation a, InetSocketAddress named, InetSocketAddress target, PeerRule rule) {
        if (log.isDebugEnabled() && admit(a.fiveTuple())) {
            peer(request(log.atDebug(), "TURN Send indication dropped", "Send", a.username(), a.fiveTuple(), a.id()),
                    named, target).addKeyValue("rule", rule.toString()).log();
        }
    }

    /** The peer as the client named it, and where this server reaches it when that differs (a static NAT). */
    private static LoggingEventBuilder peer(LoggingEventBuilder event, InetSocketAddress named, InetSocketAddress target) {
        event.addKeyValue("peer", FiveTuple.format(named));
        return named.equals(target) ? event : event.addKeyValue("reached_as", FiveTuple.format(target));
    }

    void malformed(FiveTuple source, String reason) {
        if (log.isDebugEnabled() && admit(source)) {
            log.atDebug().setMessage("malformed STUN").addKeyValue("source", source.toString())
                    .addKeyValue("reason", LogText.bounded(reason)).log();
        }
    }

    /** A TCP or TLS connection closed as soon as it was accepted (debug, limited per source). */
    public void connectionRefused(InetSocketAddress client, ConnectionRefusal why, int limit) {
        if (log.isDebugEnabled() && limiter.admit(client.getAddress(), clock.millis())) {
            log.atDebug().setMessage("TURN connection refused").addKeyValue("client", FiveTuple.format(client))
                    .addKeyValue("reason", why.label()).addKeyValue("limit", limit).log();
        }
    }

    /** A TCP or TLS connection without an allocation closed by the server (debug, limited per source). */
    void connectionTimedOut(FiveTuple connection, ConnectionTimeout why, int heldBytes) {
        if (log.isDebugEnabled() && admit(connection)) {
            log.atDebug().setMessage("TURN connection closed").addKeyValue("connection", connection.toString())
                    .addKeyValue("reason", why.label()).addKeyValue("held_bytes", heldBytes).log();
        }
    }

    void challenged(String method, FiveTuple source) {
        if (auth.isDebugEnabled() && admit(source)) {
            auth.atDebug().setMessage("TURN challenge").addKeyValue("method", method)
                    .addKeyValue("source", source.toString()).log();
        }
    }
}
