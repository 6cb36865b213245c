package dev.turnlab.benchmarks.load;

import dev.turnlab.codec.auth.LongTermCredentials;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One load run, validated on construction: which server, which credentials, how many sessions sending
 * what at which rate for how long.
 *
 * @param server the TURN server's address
 * @param user the long-term credential's username (RFC 8489 §9.2)
 * @param password the long-term credential's password
 * @param realm the realm for the key, or {@code null} to take the one in the server's 401
 * @param transport how the client reaches the server
 * @param sessions how many clients, each with its own socket, allocation and channel or permission
 * @param payload the application bytes per packet, at least {@value Probe#MIN_LENGTH}
 * @param ratePerSession packets per second per session, or {@link #MAX_RATE} for a closed loop
 * @param duration how long the measured steady state lasts
 * @param warmup how long the sessions send before measuring starts
 * @param mode channels or Send indications
 * @param peer the echo peer's address as the server sees it, or {@code null} for the built-in one
 * @param window packets in flight per session at {@code --rate max}
 * @param threads client event loops
 * @param setupConcurrency sessions being set up at once
 * @param setupTimeout how long the setup of all sessions may take
 * @param refreshInterval how often runs longer than it refresh allocations, channels and permissions
 * @param rehearsal sessions set up against an in-process stand-in before the measured setup, so that this
 *     JVM has compiled its setup path by then ({@link SetupRehearsal}); 0 for none
 */
record LoadConfig(InetSocketAddress server, String user, String password, String realm, Transport transport,
        int sessions, int payload, int ratePerSession, Duration duration, Duration warmup, Mode mode,
        InetSocketAddress peer, int window, int threads, int setupConcurrency, Duration setupTimeout,
        Duration refreshInterval, int rehearsal) {

    /** The value of {@link #ratePerSession} that asks for a closed loop at the highest rate the server sustains. */
    static final int MAX_RATE = 0;
    /** The largest payload: a ChannelData or Send indication of it still fits one UDP datagram. */
    static final int MAX_PAYLOAD = 65_000;
    /** The longest run this generator accepts. */
    static final Duration MAX_RUN = Duration.ofHours(24);
    /** The longest refresh interval: permissions live 300 s (RFC 8656 §9), leave a margin for the round trip. */
    static final Duration MAX_REFRESH = Duration.ofSeconds(270);

    /** The most sessions a rehearsal needs: by then this JVM's JIT has compiled what one setup runs. */
    static final int MAX_DEFAULT_REHEARSAL = 6_000;

    /** The client's transport to the server (RFC 8656 §3.1); the relayed transport is always UDP. */
    enum Transport { UDP, TCP }

    /** How the client hands data to the server: ChannelData (RFC 8656 §12) or Send indications (RFC 8656 §10). */
    enum Mode { CHANNEL, SEND_INDICATION }

    /** Checks every field, with the option's name and the expected range in the message. */
    LoadConfig {
        require(server != null, "--server: missing");
        require(user != null && !user.isEmpty(), "--user: missing");
        require(password != null, "--password: missing");
        requirePreparable(password);
        require(transport != null && mode != null, "--transport and --mode: missing");
        require(sessions >= 1 && sessions <= 50_000, "--sessions: " + sessions + " (expected: 1-50000)");
        require(payload >= Probe.MIN_LENGTH && payload <= MAX_PAYLOAD,
                "--payload: " + payload + " (expected: " + Probe.MIN_LENGTH + "-" + MAX_PAYLOAD + " bytes)");
        require(ratePerSession >= 0 && ratePerSession <= 1_000_000,
                "--rate: " + ratePerSession + " (expected: 1-1000000 or max)");
        require(isPositive(duration) && duration.compareTo(MAX_RUN) <= 0,
                "--duration: " + duration + " (expected: more than 0, at most 24h)");
        require(warmup != null && !warmup.isNegative() && warmup.compareTo(MAX_RUN) <= 0,
                "--warmup: " + warmup + " (expected: 0 to 24h)");
        require(window >= 1 && window <= ClosedLoop.REORDER_DEPTH,
                "--window: " + window + " (expected: 1-" + ClosedLoop.REORDER_DEPTH + ")");
        require(threads >= 1 && threads <= 256, "--threads: " + threads + " (expected: 1-256)");
        require(setupConcurrency >= 1 && setupConcurrency <= 10_000,
                "--setup-concurrency: " + setupConcurrency + " (expected: 1-10000)");
        require(isPositive(setupTimeout), "--setup-timeout: " + setupTimeout + " (expected: more than 0)");
        require(refreshInterval != null && refreshInterval.compareTo(Duration.ofSeconds(1)) >= 0
                && refreshInterval.compareTo(MAX_REFRESH) <= 0,
                "--refresh: " + refreshInterval + " (expected: 1s to 270s, within the 300 s a permission lives)");
        require(rehearsal >= 0 && rehearsal <= 50_000, "--setup-rehearsal: " + rehearsal + " (expected: 0-50000)");
    }

    /** The rehearsal's default size: as many sessions as the run sets up, at most {@link #MAX_DEFAULT_REHEARSAL}. */
    static int defaultRehearsal(int sessions) {
        return Math.min(sessions, MAX_DEFAULT_REHEARSAL);
    }

    /**
     * The largest datagram a session or the echo peer expects: the payload in a Data indication with an
     * IPv6 XOR-PEER-ADDRESS and room for the attributes a server may add, and never less than a STUN
     * response needs.
     */
    int maxDatagram() {
        return Math.max(2048, payload + 256);
    }

    /** Whether sessions send as fast as their window allows rather than on a timer. */
    boolean isMaxRate() {
        return ratePerSession == MAX_RATE;
    }

    private static boolean isPositive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void requirePreparable(String password) {
        try {
            LongTermCredentials.key("", "", password);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--password: SASLprep refuses it (RFC 4013): " + e.getMessage());
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
