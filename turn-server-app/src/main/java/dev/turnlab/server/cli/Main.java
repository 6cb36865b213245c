package dev.turnlab.server.cli;

import dev.turnlab.cli.DurationConverter;
import dev.turnlab.cli.InvalidValueException;
import dev.turnlab.codec.capture.CaptureConfig;
import dev.turnlab.server.ListenerBindException;
import dev.turnlab.server.Profile;
import dev.turnlab.server.RelayAdvertisement;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.TurnServerBuilder;
import dev.turnlab.server.allocation.FiveTuple;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import io.netty.util.ResourceLeakDetector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code java -jar turn-server.jar}: the TURN server from the command line, with options a coturn
 * operator would recognise. Without options it runs a lab server on the default ports with a generated
 * demo credential. A bad option or configuration prints one line and exits with status 2.
 */
@Command(name = "turn-server", mixinStandardHelpOptions = true, version = "turnlab turn-server 0.1.0",
        sortOptions = false, description = "An RFC 8656 TURN relay server that can stand in for a Cisco Expressway-E.")
public final class Main implements Callable<Integer> {

    /** Exit status for a bad option or configuration. */
    static final int USAGE = 2;

    @Option(names = "--profile", paramLabel = "NAME", description = "standard or expressway (realm TANDBERG, 431 on bad integrity).")
    String profile;

    @Mixin
    ListenerOptions listeners = new ListenerOptions();

    @Mixin
    DtlsOptions dtls = new DtlsOptions();

    @Mixin
    TlsOptions tls = new TlsOptions();

    @Mixin
    AuthOptions auth = new AuthOptions();

    @Mixin
    RelayOptions relay = new RelayOptions();

    @Mixin
    LimitsOptions limits = new LimitsOptions();

    @Mixin
    OperationsOptions operations = new OperationsOptions();

    @Mixin
    LoggingOptions logging = new LoggingOptions();

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Options file, one NAME=VALUE per line (coturn's turnserver.conf too); the command line wins.")
    Path config;

    @Mixin
    BandwidthOptions bandwidth = new BandwidthOptions();

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Mixin
    WarmUpOptions warmUp = new WarmUpOptions();

    private final PrintWriter out;
    private final CountDownLatch stop;
    private TurnServer server;
    private String demoPassword;

    Main(PrintWriter out, CountDownLatch stop) {
        this.out = out;
        this.stop = stop;
    }

    /** Runs the server until the process is stopped. */
    public static void main(String[] args) {
        // Leak detection samples buffers on the data path; the server runs without it unless asked for.
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, out, err, new CountDownLatch(1)));
    }

    /** Parses {@code args} (after the {@code --config} file's options), runs the server until {@code stop}. */
    static int run(String[] args, PrintWriter out, PrintWriter err, CountDownLatch stop) {
        List<String> all = new ArrayList<>();
        List<String> cli;
        try {
            cli = CoturnOptions.translate(List.of(args), w -> err.println("turn-server: warning: " + w));
        } catch (IllegalArgumentException e) {
            err.println("turn-server: " + e.getMessage());
            return USAGE;
        }
        try {
            Path file = ConfigFile.find(cli);
            if (file != null) {
                all.addAll(CoturnOptions.translate(ConfigFile.arguments(file),
                        w -> err.println("turn-server: warning: " + file + ": " + w)));
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            err.println("turn-server: config: " + e.getMessage());
            return USAGE;
        }
        all.addAll(cli);
        Main main = new Main(out, stop);
        CommandLine cmd = new CommandLine(main).setOverwrittenOptionsAllowed(true).setOut(out).setErr(err);
        cmd.setParameterExceptionHandler((e, a) -> {
            err.println("turn-server: " + InvalidValueException.describe(e) + " (see --help)");
            return USAGE;
        });
        cmd.setExecutionExceptionHandler((e, c, p) -> {
            err.println("turn-server: " + e.getMessage());
            return e instanceof IllegalArgumentException ? USAGE : 1;
        });
        return cmd.execute(all.toArray(new String[0]));
    }

    @Override
    public Integer call() throws Exception {
        TurnServer built = build();
        logging.check();
        try (Logging configured = logging.given() ? Logging.configure(logging) : null) {
            return run(built, configured == null ? () -> { } : configured::reopen);
        }
    }

    /** Runs {@code built} until stopped; SIGHUP runs {@code reopenLog}, then reloads the TLS certificate. */
    private int run(TurnServer built, Runnable reopenLog) throws InterruptedException {
        // Between a valid configuration and the bind, so that clients arrive only once it is done.
        warmUp.runBefore(built.config());
        try {
            server = built.start();
        } catch (ListenerBindException e) {
            // A port in use is the operator's to change, like a bad option: one line, status 2.
            out.flush();
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            removePidfile();
        }, "turn-server-shutdown"));
        if (operations.drainGrace != null) {
            new GracefulStop(server, operations.drainGrace, stop).install();
        }
        TlsOptions.installReloadSignal(server, reopenLog);
        try {
            if (operations.pidfile != null) {
                Files.writeString(operations.pidfile, ProcessHandle.current().pid() + "\n");
            }
            banner(demoPassword);
            stop.await();
        } catch (IOException e) {
            throw new IllegalArgumentException("pidfile: cannot write " + operations.pidfile + " (" + e.getMessage() + ")", e);
        } finally {
            server.close();
            removePidfile();
        }
        return 0;
    }

    /** The server the parsed options describe, not started; generates the demo credential when no user is given. */
    TurnServer build() {
        Profile chosen = profile == null ? Profile.STANDARD : Profile.parse(profile);
        TurnServerBuilder b = TurnServer.builder().profile(chosen);
        listeners.applyTo(b, chosen);
        dtls.applyTo(b);
        tls.applyTo(b);
        demoPassword = auth.applyTo(b, cluster.enabled());
        relay.applyTo(b);
        limits.applyTo(b);
        operations.applyTo(b);
        bandwidth.applyTo(b);
        cluster.applyTo(b);
        return b.build();
    }

    private void removePidfile() {
        if (operations.pidfile != null) {
            try {
                Files.deleteIfExists(operations.pidfile);
            } catch (IOException e) {
                // Best effort on the way out; a stale pid file names a process that is gone.
            }
        }
    }

    /** {@code timeout}, checked to be at least a second, as every timeout option must be. */
    static Duration seconds(String option, Duration timeout) {
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(option + ": " + DurationConverter.format(timeout) + " (expected: at least 1s)");
        }
        return timeout;
    }

    private void banner(String demoPassword) {
        InetSocketAddress checkTarget = server.udpAddress() != null ? server.udpAddress() : server.tcpAddress();
        // UDP on a wildcard listening address binds each local address, loopback first: show the address a client elsewhere reaches.
        InetAddress listening = server.config().listeners().addresses().get(0);
        InetAddress reachable = listening.isAnyLocalAddress() ? server.externalAddress() : checkTarget.getAddress();
        // RFC 5952 text without a scope id: "[fd00::2]", not "[fd00:0:0:0:0:0:0:2%eth0]".
        String host = reachable instanceof Inet6Address ? "[" + NetUtil.toAddressString(reachable) + "]"
                : reachable.getHostAddress();
        out.printf("turn-server listening: %s%n", listening());
        if (server.adminAddress() != null) {
            String admin = FiveTuple.format(server.adminAddress());
            out.printf("Admin: http://%s/status.html, http://%s/metrics, http://%s/api/ (%s)%n", admin, admin, admin,
                    server.config().admin().hasToken() ? "bearer token" : "admin API without a token: loopback only");
        }
        CaptureConfig captured = server.config().capture();
        if (captured != null) {
            out.printf("Capturing packets to %s%s (open it in Wireshark; decode port %d as STUN if it is not 3478)%n",
                    captured.file(), captured.rotates() ? ", rotating at " + captured.fileSize() + " bytes over "
                    + captured.files() + " files" : "", checkTarget.getPort());
        }
        if (demoPassword != null) {
            out.printf("Demo credential: user demo, password %s (generated; give --user NAME:PASSWORD for your own)%n",
                    demoPassword);
            out.printf("Check it with: java -jar turn-client-app/target/turn-check.jar --server %s:%d --user demo --password %s%n",
                    host, checkTarget.getPort(), demoPassword);
        }
        out.flush();
    }

    /** The listeners, relays and realm, as the banner and the log's start line show them. */
    private String listening() {
        return String.format("udp %s, tcp %s, tls %s, dtls %s; relays %s; realm %s; io %s", format(server.udpAddresses()),
                format(server.tcpAddresses()), format(server.tlsAddresses()), format(server.dtlsAddresses()),
                RelayAdvertisement.describe(server.relays(), server.config().relay().ports()), server.config().auth().realm(),
                server.ioTransport());
    }

    private static String format(List<InetSocketAddress> addresses) {
        if (addresses.isEmpty()) {
            return "off";
        }
        StringBuilder s = new StringBuilder();
        for (InetSocketAddress a : addresses) {
            s.append(s.length() == 0 ? "" : " ").append(FiveTuple.format(a));
        }
        return s.toString();
    }
}
