package dev.turnlab.server.cli;

import dev.turnlab.cli.DurationConverter;
import dev.turnlab.cli.HostPortConverter;
import dev.turnlab.cli.InvalidValueException;
import dev.turnlab.codec.capture.CaptureConfig;
import dev.turnlab.server.ConnectionLimits;
import dev.turnlab.server.ListenerBindException;
import dev.turnlab.server.PortRange;
import dev.turnlab.server.Profile;
import dev.turnlab.server.RelayAdvertisement;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.TurnServerBuilder;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.LoginLimits;
import dev.turnlab.server.auth.StaticCredentials;
import io.netty.util.NetUtil;
import dev.turnlab.server.allocation.Lifetimes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import io.netty.util.ResourceLeakDetector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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

    @Option(names = "--listen", paramLabel = "ADDR", description = "Listening address (repeatable; default 0.0.0.0: UDP binds each local address up at start).")
    List<String> listen = new ArrayList<>();

    @Option(names = "--port", paramLabel = "N", description = "UDP and TCP port (default 3478).")
    Integer port;

    @Option(names = "--tls-port", paramLabel = "N", description = "TLS port (default 5349; none with --profile expressway).")
    Integer tlsPort;

    @Option(names = "--no-tls", description = "No TLS listener.")
    boolean noTls;

    @CommandLine.Mixin
    TlsOptions tls = new TlsOptions();

    @Option(names = "--no-udp", description = "No UDP listener.")
    boolean noUdp;

    @Option(names = "--no-tcp", description = "No TCP listener.")
    boolean noTcp;

    @Option(names = "--cert", paramLabel = "FILE", description = "TLS certificate chain, PEM (default: self-signed).")
    Path certificate;

    @Option(names = "--pkey", paramLabel = "FILE", description = "TLS private key, PEM (PKCS#8).")
    Path privateKey;

    @Option(names = "--relay-ports", paramLabel = "MIN-MAX", description = "Relay port range (default 24000-29999).")
    String relayPorts;

    @Option(names = "--relay-address", paramLabel = "ADDR", description = "Address relay sockets bind to, one per family (default: the listening address).")
    List<String> relayAddresses = new ArrayList<>();

    @Option(names = "--external-address", paramLabel = "ADDR", description = "Advertised (static NAT) relay address, one per family.")
    List<String> externalAddresses = new ArrayList<>();

    @Option(names = "--realm", paramLabel = "R", description = "Realm (default turnlab; TANDBERG with --profile expressway).")
    String realm;

    @Option(names = "--user", paramLabel = "NAME:PASSWORD", description = "A user (repeatable).")
    List<String> users = new ArrayList<>();

    @Option(names = "--users-file", paramLabel = "FILE", description = "Users file, one NAME:PASSWORD per line.")
    Path usersFile;

    @Option(names = "--auth-secret", paramLabel = "S", description = "TURN REST API shared secret (usernames expiry:user).")
    String authSecret;

    @Option(names = "--profile", paramLabel = "NAME", description = "standard or expressway (realm TANDBERG, 431 on bad integrity).")
    String profile;

    @Option(names = "--allow-loopback-peers", description = "Allow peers on 127.0.0.0/8 and ::1.")
    boolean allowLoopbackPeers;

    @Option(names = "--allow-peer", paramLabel = "CIDR", description = "Allow peers in a prefix (repeatable).")
    List<String> allowPeers = new ArrayList<>();

    @Option(names = "--deny-peer", paramLabel = "CIDR", description = "Deny peers in a prefix (repeatable).")
    List<String> denyPeers = new ArrayList<>();

    @Option(names = "--user-quota", paramLabel = "N", description = "Allocations per user, then 486 (default: no limit).")
    Integer userQuota;

    @Option(names = "--total-quota", paramLabel = "N", description = "Allocations in all, then 508 (default: the relay ports).")
    Integer totalQuota;

    @Option(names = "--io-threads", paramLabel = "N", description = "Event loops, each with its own UDP listening socket (default: one per processor).")
    Integer ioThreads;

    @Option(names = "--udp-recv-buffer", paramLabel = "BYTES", description = "SO_RCVBUF of the UDP listening sockets, 0 for the kernel's default (default 4194304).")
    Integer udpReceiveBuffer;

    @Option(names = "--udp-send-buffer", paramLabel = "BYTES", description = "SO_SNDBUF of the UDP listening sockets, 0 for the kernel's default (default 4194304).")
    Integer udpSendBuffer;

    @Option(names = "--peer-quota", paramLabel = "N",
            description = "Permissions, and channel bindings, per allocation, then 508 (default 1024).")
    Integer peerQuota;

    @Option(names = "--log-rate", paramLabel = "N",
            description = "Rejection and refusal log lines per second and client address, the rest summed up (default 10; 0: no limit).")
    Integer logRate;

    @Option(names = "--login-limits", paramLabel = "SRC,USER,SECONDS[,TRACKED]",
            description = "Failed logins within SECONDS before passwords go unchecked: SRC per client address (IPv6: per /64), "
                    + "USER per address and username and per user; keep SRC several times USER, as clients behind one NAT "
                    + "share SRC; expired TURN REST credentials that verify do not count; TRACKED of each remembered "
                    + "(default 100,10,60,16384; off: no limit).")
    String loginLimits;

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

    @Option(names = "--admin", paramLabel = "ADDR:PORT",
            description = "Serve /metrics (Prometheus), /status (JSON) and /status.html over HTTP here (off by default; no authentication: use loopback, e.g. 127.0.0.1:9641).")
    String admin;

    @Option(names = "--fault", paramLabel = "NAME[=VALUE]",
            description = "Switch a lab fault on from the start (repeatable; at run time: POST /faults on --admin): "
                    + "stall, silent-udp, silent-tcp, reject-udp, reject-tcp, block-relay=in|out|both, advertise=ADDR, "
                    + "answer=CODE, loss=PERCENT, delay=MS[~JITTER], stale-nonce. See the README.")
    List<String> faults = new ArrayList<>();

    @Option(names = "--capture", paramLabel = "FILE",
            description = "Record every packet the server sends and receives (clients and peers; TLS as its plaintext) "
                    + "in a pcap file for Wireshark, like tcpdump -w.")
    Path capture;

    @Option(names = "--capture-size", paramLabel = "SIZE",
            description = "Rotate the capture file at this size, e.g. 100MB (tcpdump -C); default: no limit.")
    String captureSize;

    @Option(names = "--capture-files", paramLabel = "N",
            description = "Keep at most N capture files when rotating: FILE, then FILE.1 … (tcpdump -W; default 10).")
    Integer captureFiles;

    @Option(names = "--max-allocate-lifetime", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest allocation lifetime granted, e.g. 3600 (seconds; default 3600s, RFC 8656 §7.2).")
    Duration maxAllocateLifetime;

    @Option(names = "--channel-lifetime", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Channel binding lifetime (default 600s, RFC 8656 §12).")
    Duration channelLifetime;

    @Option(names = "--permission-lifetime", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Permission lifetime (default 300s, RFC 8656 §9).")
    Duration permissionLifetime;

    @Option(names = "--stale-nonce", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a nonce stays valid before 438 Stale Nonce (default 600s).")
    Duration staleNonce;

    @Option(names = "--no-software-attribute", description = "No SOFTWARE attribute in responses.")
    boolean noSoftwareAttribute;

    @Option(names = "--pidfile", paramLabel = "FILE", description = "Write the process id here while running.")
    Path pidfile;

    @Option(names = "--alternate-server", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "When full (--total-quota, relay ports) or draining, answer Allocate with 300 Try Alternate naming this server (repeatable: in turn).")
    List<InetSocketAddress> alternateServers = new ArrayList<>();

    @Option(names = "--drain-grace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "On SIGTERM, drain first: take no new allocation, keep the existing ones until they end or this passes, then stop (a second SIGTERM stops at once).")
    Duration drainGrace;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Options file, one NAME=VALUE per line (coturn's turnserver.conf too); the command line wins.")
    Path config;

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
        if (drainGrace != null) {
            new GracefulStop(server, drainGrace, stop).install();
        }
        TlsOptions.installReloadSignal(server);
        try {
            if (pidfile != null) {
                Files.writeString(pidfile, ProcessHandle.current().pid() + "\n");
            }
            banner(demoPassword);
            stop.await();
        } catch (IOException e) {
            throw new IllegalArgumentException("pidfile: cannot write " + pidfile + " (" + e.getMessage() + ")", e);
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
        listen.forEach(b::listen);
        if (port != null) {
            b.port(port);
        }
        if (!noTls && (tlsPort != null || chosen == Profile.STANDARD)) {
            b.tlsPort(tlsPort != null ? tlsPort : 5349);
        }
        if (certificate != null || privateKey != null) {
            if (certificate == null || privateKey == null) {
                throw new IllegalArgumentException("cert: --cert and --pkey go together");
            }
            b.tlsCertificate(certificate, privateKey);
        }
        tls.applyTo(b);
        b.udp(!noUdp).tcp(!noTcp);
        if (relayPorts != null) {
            b.relayPorts(PortRange.parse(relayPorts));
        }
        relayAddresses.forEach(b::relayAddress);
        externalAddresses.forEach(b::externalAddress);
        if (realm != null) {
            b.realm(realm);
        }
        for (String u : users) {
            Map.Entry<String, String> user = StaticCredentials.parseUser(u);
            b.user(user.getKey(), user.getValue());
        }
        if (usersFile != null) {
            b.usersFile(usersFile);
        }
        if (authSecret != null) {
            b.authSecret(authSecret);
        }
        if (users.isEmpty() && usersFile == null && authSecret == null) {
            demoPassword = demoPassword();
            b.user("demo", demoPassword);
        }
        b.allowLoopbackPeers(allowLoopbackPeers);
        allowPeers.forEach(b::allowPeer);
        denyPeers.forEach(b::denyPeer);
        if (userQuota != null) {
            b.userQuota(userQuota);
        }
        if (logRate != null) {
            b.logRate(logRate);
        }
        if (peerQuota != null) {
            b.peerQuota(peerQuota);
        }
        if (totalQuota != null) {
            b.totalQuota(totalQuota);
        }
        if (ioThreads != null) {
            b.ioThreads(ioThreads);
        }
        if (udpReceiveBuffer != null) {
            b.udpReceiveBuffer(udpReceiveBuffer);
        }
        if (udpSendBuffer != null) {
            b.udpSendBuffer(udpSendBuffer);
        }
        if (admin != null) {
            b.admin(admin);
        }
        if (loginLimits != null) {
            b.loginLimits(LoginLimits.parse(loginLimits));
        }
        b.connectionLimits(connectionLimits());
        b.lifetimes(lifetimes());
        if (staleNonce != null) {
            b.nonceLifetime(seconds("stale-nonce", staleNonce));
        }
        if (noSoftwareAttribute) {
            b.software("");
        }
        faults.forEach(b::fault);
        alternateServers.forEach(b::alternateServer);
        if (drainGrace != null) {
            seconds("--drain-grace", drainGrace);
        }
        CaptureConfig captured = CaptureConfig.fromOptions(capture, captureSize, captureFiles);
        if (captured != null) {
            b.capture(captured);
        }
        return b.build();
    }

    private void removePidfile() {
        if (pidfile != null) {
            try {
                Files.deleteIfExists(pidfile);
            } catch (IOException e) {
                // Best effort on the way out; a stale pid file names a process that is gone.
            }
        }
    }

    private Lifetimes lifetimes() {
        Lifetimes rfc = Lifetimes.RFC_8656;
        Duration max = maxAllocateLifetime != null ? seconds("max-allocate-lifetime", maxAllocateLifetime) : rfc.maxAllocation();
        // A maximum below the default lowers the default with it, as coturn does.
        Duration defaultAllocation = rfc.defaultAllocation().compareTo(max) > 0 ? max : rfc.defaultAllocation();
        return new Lifetimes(defaultAllocation, max,
                permissionLifetime != null ? seconds("permission-lifetime", permissionLifetime) : rfc.permission(),
                channelLifetime != null ? seconds("channel-lifetime", channelLifetime) : rfc.channel(), rfc.channelHold());
    }

    private ConnectionLimits connectionLimits() {
        ConnectionLimits limits = ConnectionLimits.DEFAULT;
        if (firstRequestTimeout != null) {
            limits = limits.withFirstRequestTimeout(seconds("first-request-timeout", firstRequestTimeout));
        }
        if (partialFrameTimeout != null) {
            limits = limits.withPartialFrameTimeout(seconds("partial-frame-timeout", partialFrameTimeout));
        }
        if (allocateTimeout != null) {
            limits = limits.withAllocateTimeout(seconds("allocate-timeout", allocateTimeout));
        }
        if (maxConnectionsPerSource != null) {
            limits = limits.withMaxConnectionsPerSource(maxConnectionsPerSource);
        }
        if (maxConnections != null) {
            limits = limits.withMaxConnections(maxConnections);
        }
        return limits;
    }

    private static Duration seconds(String option, Duration timeout) {
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
        out.printf("turn-server listening: udp %s, tcp %s, tls %s; relays %s; realm %s%n",
                format(server.udpAddresses()), format(server.tcpAddresses()), format(server.tlsAddresses()),
                RelayAdvertisement.describe(server.relays(), server.config().relay().ports()), server.config().auth().realm());
        if (server.adminAddress() != null) {
            out.printf("Admin: http://%s/status.html, http://%s/metrics%n", FiveTuple.format(server.adminAddress()),
                    FiveTuple.format(server.adminAddress()));
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

    private static String demoPassword() {
        final String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder s = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
