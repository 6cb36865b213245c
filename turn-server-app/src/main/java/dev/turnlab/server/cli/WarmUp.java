package dev.turnlab.server.cli;

import ch.qos.logback.classic.Level;
import dev.turnlab.server.BandwidthLimits;
import dev.turnlab.server.allocation.TokenBucket;
import dev.turnlab.server.SocketConfig;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.TurnServerBuilder;
import dev.turnlab.server.TurnServerConfig;
import dev.turnlab.server.admin.MetricsSnapshot;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up warm-up: before the real server binds, a throwaway {@link TurnServer} with the real one's I/O
 * transport, event loops, UDP sockets, relay ports, profile, lifetimes and bandwidth limits listens on 127.0.0.1,
 * port 0, and {@link WarmUpTraffic} sessions run through it over loopback UDP (and one in
 * {@value #TCP_EVERY} over TCP) until the JIT has compiled what they run: at least a given number of datagrams
 * relayed each way, then until the JVM's total compilation time has stood still for a while, or a time limit.
 * Since the sockets and event loops are the ones real clients meet, the type profiles the JIT compiles from are
 * theirs too.
 *
 * <p>The throwaway server has a random credential of its own, allows loopback peers, and is closed before this
 * returns: the real server has nothing of it, no allocation, port, counter or log line. The warm-up logs one
 * line, {@code TURN warm-up done in N ms}, a warning if it stopped early; it never throws.
 */
final class WarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    private static final String USER = "warm-up";
    /** One session in this many runs over TCP, so that the stream path is compiled too. */
    static final int TCP_EVERY = 8;

    /**
     * How much warm-up: at least {@code datagrams} relayed each way, then until the JIT compiled for less than
     * {@code settledShare} of the last {@code settleWindow} (a zero window: not at all), and never past
     * {@code limit}. Each is checked between sessions.
     */
    record Plan(long datagrams, Duration settleWindow, double settledShare, Duration limit) {
        /**
         * 30,000 datagrams each way (the JIT's C2 compiles a method after about 15,000 calls), then until the JIT
         * spent under a quarter of the last half second compiling (its compile time is the compiler threads' wall
         * time, which counts the waits of a busy core too); 15 s at most.
         */
        static final Plan DEFAULT = new Plan(30_000, Duration.ofMillis(500), 0.25, Duration.ofSeconds(15));

        /** This plan with {@code limit} instead of its own. */
        Plan limit(Duration newLimit) {
            return new Plan(datagrams, settleWindow, settledShare, newLimit);
        }
    }

    /**
     * What a warm-up did: its sessions, the requests answered and datagrams relayed each way, how long it took,
     * the JIT's compilation time in it, why it stopped early (null if it did not), and the throwaway server's
     * metrics just before it closed and its listening addresses (null and empty if it did not start).
     */
    record Result(int sessions, long requests, long datagrams, Duration elapsed, Duration compiling, String failure,
            MetricsSnapshot metrics, List<InetSocketAddress> listeners) {
    }

    private WarmUp() {
    }

    /** Runs a warm-up as {@code plan} says, through a throwaway server like the one {@code real} configures. */
    static Result run(TurnServerConfig real, Plan plan) {
        long start = System.nanoTime();
        long compiledBefore = compilationMillis();
        String password = randomPassword();
        TurnServer server = null;
        WarmUpTraffic traffic = null;
        int sessions = 0;
        String failure = null;
        MetricsSnapshot metrics = null;
        List<InetSocketAddress> listeners = List.of();
        try (QuietServerLog quiet = QuietServerLog.start()) {
            try {
                server = throwaway(real, password).start();
                listeners = List.of(server.udpAddress(), server.tcpAddress());
                traffic = new WarmUpTraffic(server.udpAddress(), server.tcpAddress(), USER, password);
                Settling settling = new Settling(plan, start);
                while (!settling.done(traffic.datagrams())) {
                    traffic.session(sessions % TCP_EVERY == TCP_EVERY - 1);
                    sessions++;
                }
                metrics = server.metrics();
            } catch (IOException | RuntimeException e) {
                failure = e instanceof WarmUpTraffic.Failure ? e.getMessage() : e.toString();
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Duration compiling = Duration.ofMillis(compilationMillis() - compiledBefore);
        Result r = new Result(sessions, traffic == null ? 0 : traffic.requests(), traffic == null ? 0 : traffic.datagrams(),
                elapsed, compiling, failure, metrics, listeners);
        String done = String.format("TURN warm-up done in %d ms: %d sessions, %d requests, %d datagrams each way over "
                + "loopback, %d ms compiling", elapsed.toMillis(), r.sessions(), r.requests(), r.datagrams(), compiling.toMillis());
        if (failure == null) {
            LOG.info(done);
        } else {
            // The warm-up only speeds the first traffic up: a failure is a bug or a busy machine to see, not a reason not to serve.
            LOG.warn("{}; stopped early: {}", done, failure);
        }
        return r;
    }

    /** A server like {@code real} where its code paths are concerned, on loopback, with a credential of its own. */
    static TurnServer throwaway(TurnServerConfig real, String password) {
        SocketConfig sockets = real.sockets();
        BandwidthLimits bandwidth = real.limits().bandwidth();
        TurnServerBuilder b = TurnServer.builder().profile(real.profile()).ioTransport(sockets.ioTransport())
                .ioThreads(sockets.ioThreads()).udpSockets(sockets.udpSockets())
                .udpReceiveBuffer(sockets.udpReceiveBuffer()).udpSendBuffer(sockets.udpSendBuffer())
                .relayPorts(real.relay().ports()).lifetimes(real.relay().lifetimes()).tcpRelays(real.relay().tcpRelays())
                // A limit keeps its code path warmed, but at the highest rate: a session of the warm-up relays
                // about 300 kB each way in well under a second, which a real max-bps would drop.
                .maxBps(bandwidth.maxBps() == 0 ? 0 : TokenBucket.MAX_RATE)
                .realm(real.auth().realm()).software(real.auth().software())
                .securityFeatures(real.auth().securityFeatures()).integrityFailure(real.auth().integrityFailure());
        return b.listen(InetAddress.getLoopbackAddress()).port(0).udp(true).tcp(true).noTls().noDtls()
                .user(USER, password).allowLoopbackPeers(true).build();
    }

    /** The JVM's total JIT compilation time so far, in milliseconds; 0 where the JVM does not keep it. */
    static long compilationMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static String randomPassword() {
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        return Base64.getEncoder().encodeToString(secret);
    }

    /** When a warm-up is done: checked between sessions, from the datagrams relayed and the JIT's compile time. */
    private static final class Settling {
        private final Plan plan;
        private final long start;
        private long windowStart;
        private long compiledAtWindowStart;

        Settling(Plan plan, long start) {
            this.plan = plan;
            this.start = start;
        }

        boolean done(long datagrams) {
            long now = System.nanoTime();
            if (now - start >= plan.limit().toNanos()) {
                return true;
            }
            if (datagrams < plan.datagrams()) {
                windowStart = now;
                compiledAtWindowStart = compilationMillis();
                return false;
            }
            if (plan.settleWindow().isZero()) {
                return true;
            }
            long window = now - windowStart;
            if (window < plan.settleWindow().toNanos()) {
                return false;
            }
            long compiled = compilationMillis() - compiledAtWindowStart;
            if (compiled * 1_000_000.0 < plan.settledShare() * window) {
                return true;
            }
            windowStart = now;
            compiledAtWindowStart = compilationMillis();
            return false;
        }
    }

    /**
     * Raises {@code dev.turnlab.server} to WARN while the throwaway server runs: it would otherwise log every
     * allocation it creates and deletes before the real server's first line. Its warnings still show. Logback is
     * this runnable module's logger; under another binding nothing changes.
     */
    private static final class QuietServerLog implements AutoCloseable {
        private final ch.qos.logback.classic.Logger logger;
        private final Level before;

        private QuietServerLog(ch.qos.logback.classic.Logger logger) {
            this.logger = logger;
            this.before = logger == null ? null : logger.getLevel();
            if (logger != null && !logger.getEffectiveLevel().isGreaterOrEqual(Level.WARN)) {
                logger.setLevel(Level.WARN);
            }
        }

        static QuietServerLog start() {
            return new QuietServerLog(LoggerFactory.getLogger("dev.turnlab.server")
                    instanceof ch.qos.logback.classic.Logger l ? l : null);
        }

        @Override
        public void close() {
            if (logger != null) {
                logger.setLevel(before);
            }
        }
    }
}
