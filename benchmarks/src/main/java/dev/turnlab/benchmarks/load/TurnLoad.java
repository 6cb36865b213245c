package dev.turnlab.benchmarks.load;

import dev.turnlab.benchmarks.load.LoadConfig.Mode;
import dev.turnlab.benchmarks.load.LoadConfig.Transport;
import dev.turnlab.cli.DurationConverter;
import dev.turnlab.cli.HostPortConverter;
import dev.turnlab.cli.InvalidValueException;
import io.netty.util.ResourceLeakDetector;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code turn-load}: drives any TURN server with relayed echo traffic and reports throughput, loss and latency. */
@Command(name = "turn-load", mixinStandardHelpOptions = true, version = "turn-load 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Relay load generator for any TURN server (RFC 8656). Each session has its own socket, allocation and "
                + "channel binding (or permission); every packet goes client -> server -> echo peer -> server -> "
                + "client and carries its sequence number and send time, so round trips, loss, duplicates and "
                + "reordering are measured.",
            "Paced rates are open-loop (a 1 ms timer sends what is due); --rate max is a closed loop with --window "
                + "packets in flight per session. Allocations live 600 s; runs longer than --refresh (240 s) refresh "
                + "them, their channels and permissions that often.",
            "When the setup ends, one line on stderr says how many sessions were set up and in how long.",
            "Exit status: 0 run complete, 1 some sessions failed to set up, 2 bad arguments.", ""},
        footer = {"", "Example: turn-load --server 127.0.0.1:3478 --user u --password p --sessions 10 --rate 50"
                + " --duration 10s"})
public final class TurnLoad implements Callable<Integer> {

    /** The exit status for arguments that cannot be run. */
    static final int USAGE = 2;

    @Option(names = "--server", required = true, paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "The TURN server.")
    private InetSocketAddress server;

    @Option(names = "--user", paramLabel = "USER", required = true, description = "Long-term credential username.")
    private String user;

    @Option(names = "--password", paramLabel = "PASSWORD", required = true,
            description = "Long-term credential password.")
    private String password;

    @Option(names = "--realm", paramLabel = "REALM",
            description = "Realm for the key (default: the one in the server's 401).")
    private String realm;

    @Option(names = "--transport", defaultValue = "udp", paramLabel = "udp|tcp", converter = TransportName.class,
            description = "Client-to-server transport (default: ${DEFAULT-VALUE}); the relay is always UDP.")
    private Transport transport;

    @Option(names = "--sessions", defaultValue = "1", paramLabel = "N",
            description = "Sessions (default: ${DEFAULT-VALUE}).")
    private int sessions;

    @Option(names = "--payload", defaultValue = "160", paramLabel = "BYTES",
            description = "Payload bytes per packet, at least 16 (default: ${DEFAULT-VALUE}).")
    private int payload;

    @Option(names = "--rate", defaultValue = "50", paramLabel = "PPS|max", converter = Rate.class,
            description = "Packets per second per session, or max (default: ${DEFAULT-VALUE}).")
    private int rate;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Measured steady state, e.g. 10s, 500ms, 2m (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "Sending before measuring starts (default: ${DEFAULT-VALUE}).")
    private Duration warmup;

    @Option(names = "--mode", defaultValue = "channel", paramLabel = "channel|send-indication",
            converter = ModeName.class, description = "ChannelData or Send indications (default: ${DEFAULT-VALUE}).")
    private Mode mode;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json", converter = FormatName.class,
            description = "Report format (default: ${DEFAULT-VALUE}).")
    private Format format;

    @Option(names = "--peer", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "External UDP echo peer, as the server reaches it (default: a built-in one on port 0).")
    private InetSocketAddress peer;

    @Option(names = "--window", paramLabel = "N", defaultValue = "16",
            description = "Packets in flight per session at --rate max (default: ${DEFAULT-VALUE}).")
    private int window;

    @Option(names = "--threads", paramLabel = "N",
            description = "Client event loops (default: the number of processors).")
    private Integer threads;

    @Option(names = "--setup-concurrency", paramLabel = "N", defaultValue = "64",
            description = "Sessions set up at once (default: ${DEFAULT-VALUE}).")
    private int setupConcurrency;

    @Option(names = "--setup-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "Time allowed for setting up all sessions (default: ${DEFAULT-VALUE}).")
    private Duration setupTimeout;

    @Option(names = "--refresh", paramLabel = "DURATION", defaultValue = "240s", converter = DurationConverter.class,
            description = "Runs longer than this refresh allocations, channels and permissions this often "
                    + "(default: ${DEFAULT-VALUE}; permissions live 300 s).")
    private Duration refresh;

    @Option(names = "--setup-rehearsal", paramLabel = "N",
            description = "Sessions first set up against an in-process stand-in on loopback, never the server, so that "
                    + "turn-load's own setup code is compiled before the setup is timed; 0 for none, UDP only "
                    + "(default: as many as --sessions, at most " + LoadConfig.MAX_DEFAULT_REHEARSAL + ").")
    private Integer rehearsal;

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    /** Report formats. */
    enum Format { TEXT, JSON }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        // A load generator tracks no buffers: the sampled stack traces would be per-packet garbage.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the command line with the given streams and returns the exit status, without exiting. */
    static int execute(String[] args, PrintStream out, PrintStream err) {
        TurnLoad command = new TurnLoad();
        command.out = out;
        command.err = err;
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, argv) -> usageError(err, InvalidValueException.describe(e)));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            err.println("turn-load: " + e);
            return 1;
        });
        return cli.execute(args);
    }

    private static int usageError(PrintStream err, String message) {
        err.println("turn-load: " + message + " (see --help)");
        return USAGE;
    }

    /** Validates the options into a {@link LoadConfig}, runs it and prints the report. */
    @Override
    public Integer call() throws InterruptedException {
        LoadConfig config;
        try {
            config = new LoadConfig(server, user, password, realm, transport, sessions, payload, rate, duration, warmup,
                    mode, peer, window, threads == null ? Runtime.getRuntime().availableProcessors() : threads,
                    setupConcurrency, setupTimeout, refresh,
                    rehearsal == null ? LoadConfig.defaultRehearsal(sessions) : rehearsal);
        } catch (IllegalArgumentException e) {
            return usageError(err, e.getMessage());
        }
        PrintStream progress = System.console() != null && out == System.out ? System.err : null;
        LoadReport report = new LoadRun(config, progress, err, NettyTransport.best()).run();
        out.println(format == Format.JSON ? report.json() : report.text().stripTrailing());
        if (report.message() != null) {
            err.println("turn-load: " + report.message());
        }
        return report.failed() > 0 ? 1 : 0;
    }

    /** A positive number of packets per second, or {@code max}. */
    static final class Rate implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (value.equalsIgnoreCase("max")) {
                return LoadConfig.MAX_RATE;
            }
            try {
                int pps = Integer.parseInt(value);
                if (pps >= 1) {
                    return pps;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' (expected: packets per second, 1 or more, or max)");
        }
    }

    /** {@code udp} or {@code tcp}. */
    static final class TransportName implements ITypeConverter<Transport> {
        @Override
        public Transport convert(String value) {
            return parse(Transport.class, value, "udp or tcp");
        }
    }

    /** {@code channel} or {@code send-indication}. */
    static final class ModeName implements ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            return parse(Mode.class, value, "channel or send-indication");
        }
    }

    /** {@code text} or {@code json}. */
    static final class FormatName implements ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return parse(Format.class, value, "text or json");
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String expected) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' (expected: " + expected + ")");
        }
    }
}
