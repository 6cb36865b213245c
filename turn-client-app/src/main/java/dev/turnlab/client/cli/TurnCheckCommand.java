package dev.turnlab.client.cli;

import dev.turnlab.client.RelayTransport;
import dev.turnlab.client.Transport;
import dev.turnlab.codec.dtls.DtlsEngines;
import dev.turnlab.client.check.CheckOptions;
import dev.turnlab.client.check.CmsTurnServer;
import dev.turnlab.client.check.ExitCodes;
import dev.turnlab.client.check.ReportFormat;
import dev.turnlab.client.check.ServerAddress;
import dev.turnlab.client.check.ServerReport;
import dev.turnlab.client.check.TurnCheck;
import dev.turnlab.cli.DurationConverter;
import dev.turnlab.cli.InvalidValueException;
import dev.turnlab.codec.attribute.AddressFamily;
import dev.turnlab.codec.capture.CaptureConfig;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code turn-check}: checks TURN servers the way a CMS Callbridge does, and says what is wrong. */
@Command(name = "turn-check", mixinStandardHelpOptions = true, version = "turn-check 0.1.0", sortOptions = false,
        usageHelpWidth = 100,
        description = {
            "Checks TURN servers as a Cisco Meeting Server Callbridge does (reachable, round-trip time, mapped "
                    + "address), then tests the credentials, an allocation and, with --relay-test, media through "
                    + "the relay, and explains in plain words what to fix when something fails.",
            ""},
        footer = {"",
            "Exit codes (with several servers, the lowest non-zero one):",
            "  0  every check passed",
            "  1  internal error",
            "  2  usage error",
            "  3  unreachable (no answer, refused, no STUN answer), a --require'd transport silent, TLS failure",
            "  4  credentials rejected (401, 431), or realm differs from --realm and credentials not accepted",
            "  5  allocation refused (486 quota, 508 capacity, 403...) or not answered",
            "  6  relay test failed, or a private relayed address for clients on the Internet",
            "",
            "Example: turn-check --server 192.0.2.10 --user expturncreds --password secret --realm TANDBERG --relay-test",
            "         turn-check --cms-turn-server turnserver.xml --password secret --relay-test --require udp,tcp"})
public final class TurnCheckCommand implements Callable<Integer> {

    @Option(names = "--server", paramLabel = "HOST[:PORT]",
            description = "A TURN server (repeatable). Port 3478 unless given (5349 for TLS and DTLS); [IPV6]:PORT for IPv6.")
    List<String> servers;

    @Option(names = "--cms-turn-server", paramLabel = "FILE",
            description = "A CMS TURN server definition instead of --server: the XML of GET /api/v1/turnservers/<id>, "
                    + "or key=value lines (serverAddress, clientAddress, tcpPortNumberOverride, username, password, "
                    + "type). Options given on the command line win.")
    Path cmsTurnServer;

    @Option(names = "--client-address", paramLabel = "ADDR",
            description = "The public address browsers are given for the server (CMS's clientAddress); the relayed "
                    + "address is compared with it.")
    String clientAddress;

    @Option(names = "--tcp-port", paramLabel = "PORT",
            description = "Check TCP on this port instead of the server's (CMS's tcpPortNumberOverride).")
    Integer tcpPort;

    @Option(names = "--require", paramLabel = "udp,tcp", split = ",",
            description = "Fail (exit 3, XML failure) when one of these transports does not answer. Default: pass "
                    + "when one answers, with a warning for the other.")
    List<String> require;

    @Option(names = "--user", paramLabel = "NAME", description = "User name of the long-term credentials.")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "Password of the long-term credentials.")
    String password;

    @Option(names = "--realm", paramLabel = "REALM", description = "The realm the server should announce (e.g. TANDBERG).")
    String realm;

    @Option(names = "--transport", paramLabel = "udp|tcp|tls|dtls",
            description = "Use only this transport. Default: UDP, with TCP tried as well and used when UDP gets no answer.")
    String transport;

    @Option(names = "--relay-test", description = "Send data through the relay to a local UDP peer and back "
            + "(with --relay-transport tcp: Connect to a local TCP peer, ConnectionBind, and an echo).")
    boolean relayTest;

    @Option(names = "--relay-transport", paramLabel = "udp|tcp",
            description = "The relay Allocate asks for: udp (default) or tcp (RFC 6062 TCP relay, asked for over TCP "
                    + "or TLS, so TCP is tried first).")
    String relayTransport;

    @Option(names = "--relay-family", paramLabel = "ipv4|ipv6",
            description = "Ask Allocate for a relayed address of this family (REQUESTED-ADDRESS-FAMILY, RFC 8656); "
                    + "default: none asked, the server relays IPv4 whatever the server address's family.")
    String relayFamily;

    @Option(names = "--format", paramLabel = "text|json|xml", defaultValue = "text",
            description = "Output: text (default), json, or xml (CMS's /api/v1/turnservers/<id>/status).")
    String format;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.Positive.class,
            description = "Longest wait for one answer, connection or relayed packet, e.g. 5s, 800ms (default: 5s).")
    Duration timeout;

    @Option(names = "--probes", paramLabel = "N", defaultValue = "5",
            description = "Binding requests whose median round trip is reported (default: 5).")
    int probes;

    @Option(names = "--insecure", description = "With TLS or DTLS, accept any server certificate (for labs).")
    boolean insecure;

    @Option(names = "--capture", paramLabel = "FILE",
            description = "Record every packet of the check (to the servers, TLS as its plaintext, and the relay "
                    + "test's peer) in a pcap file for Wireshark, like tcpdump -w.")
    Path capture;

    @Option(names = "--capture-size", paramLabel = "SIZE",
            description = "Rotate the capture file at this size, e.g. 10MB (tcpdump -C); default: no limit.")
    String captureSize;

    @Option(names = "--capture-files", paramLabel = "N",
            description = "Keep at most N capture files when rotating: FILE, then FILE.1 ... (tcpdump -W; default 10).")
    Integer captureFiles;

    private PrintWriter out;

    /** Runs with {@code args}, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        TurnCheckCommand command = new TurnCheckCommand();
        command.out = out;
        CommandLine cli = new CommandLine(command).setOut(out).setErr(err);
        cli.setParameterExceptionHandler((e, a) -> usage(err, InvalidValueException.describe(e)));
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                return usage(err, e.getMessage());
            }
            err.println("turn-check: internal error: " + e);
            err.flush();
            return ExitCodes.INTERNAL_ERROR;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static int usage(PrintWriter err, String message) {
        err.println("turn-check: " + message.lines().findFirst().orElse(message) + " (see --help)");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** The entry point of the runnable jar. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    @Override
    public Integer call() throws Exception {
        if (cmsTurnServer != null && servers != null) {
            throw new IllegalArgumentException("--server and --cms-turn-server: give one or the other");
        }
        CmsTurnServer cms = cmsTurnServer();
        if (cms == null && servers == null) {
            throw new IllegalArgumentException("missing --server HOST[:PORT] or --cms-turn-server FILE");
        }
        CheckOptions options = options(cms);
        Function<List<ServerReport>, String> output = output(format);
        List<ServerAddress> targets = (cms != null ? List.of(cms.serverAddress()) : servers).stream()
                .map(ServerAddress::parse).toList();
        List<ServerReport> reports = TurnCheck.run(targets, options);
        out.print(output.apply(reports));
        out.flush();
        return ServerReport.exitCode(reports);
    }

    private CmsTurnServer cmsTurnServer() {
        if (cmsTurnServer == null) {
            return null;
        }
        String text;
        try {
            text = Files.readString(cmsTurnServer, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--cms-turn-server: cannot read " + cmsTurnServer + " (" + e + ")");
        }
        CmsTurnServer cms;
        try {
            cms = CmsTurnServer.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--cms-turn-server: " + cmsTurnServer + ": " + e.getMessage());
        }
        if ("lyncEdge".equals(cms.type())) {
            throw new IllegalArgumentException("--cms-turn-server: " + cmsTurnServer + ": type lyncEdge (expected: "
                    + "standard, cms or expressway; a Lync/Skype Edge speaks MS-TURN, which turn-check does not)");
        }
        // The command line wins over the file.
        user = user != null ? user : cms.username();
        if (password == null && cms.password() != null && user != null && user.equals(cms.username())) {
            password = cms.password();
        }
        if (user != null && password == null) {
            throw new IllegalArgumentException("--cms-turn-server: " + cmsTurnServer + " has username " + user
                    + " but no password (CMS's API does not return it): give --password");
        }
        clientAddress = clientAddress != null ? clientAddress : cms.clientAddress();
        tcpPort = tcpPort != null ? tcpPort : cms.tcpPortNumberOverride();
        if (realm == null && "expressway".equals(cms.type())) {
            realm = "TANDBERG"; // the realm of an Expressway-E's TURN server
        }
        return cms;
    }

    private CheckOptions options(CmsTurnServer cms) throws Exception {
        if ((user == null) != (password == null)) {
            throw new IllegalArgumentException(user == null ? "--password needs --user" : "--user needs --password");
        }
        if (relayTest && user == null) {
            throw new IllegalArgumentException("--relay-test needs --user and --password (it allocates a relay)");
        }
        CheckOptions options = CheckOptions.DEFAULTS.withTimeout(timeout).withProbes(probes)
                .withRelayTest(relayTest).withExpectedRealm(realm)
                .withCapture(CaptureConfig.fromOptions(capture, captureSize, captureFiles));
        if (tcpPort != null) {
            if (tcpPort < 1 || tcpPort > 65535) {
                throw new IllegalArgumentException("--tcp-port: " + tcpPort + " (expected: 1-65535)");
            }
            options = options.withTcpPort(tcpPort);
        }
        if (clientAddress != null) {
            options = options.withClientAddress(address(clientAddress));
        }
        if (user != null) {
            options = options.withCredentials(user, password);
        }
        RelayTransport relay = relayTransport == null ? RelayTransport.UDP : RelayTransport.parse(relayTransport.strip());
        if (relay == RelayTransport.TCP && transport != null && !Transport.parse(transport).isReliable()) {
            throw new IllegalArgumentException("--relay-transport tcp: over --transport " + transport.strip().toLowerCase(
                    java.util.Locale.ROOT) + " (expected: --transport "
                    + "tcp or tls, or none: RFC 6062 TCP relays are asked for over a TCP or TLS connection)");
        }
        options = options.withRelayTransport(relay);
        if (transport != null) {
            Transport only = Transport.parse(transport);
            options = options.withTransport(only);
            if (insecure && only == Transport.TLS) {
                options = options.withSslContext(SslContextBuilder.forClient()
                        .trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null).build());
            }
            if (insecure && only == Transport.DTLS) {
                options = options.withDtlsEngines(
                        DtlsEngines.client(DtlsEngines.clientContext(InsecureTrustManagerFactory.INSTANCE), null));
            }
        }
        if (relayFamily != null) {
            options = options.withRelayFamily(switch (relayFamily.strip().toLowerCase(Locale.ROOT)) {
                case "ipv4" -> AddressFamily.IPV4;
                case "ipv6" -> AddressFamily.IPV6;
                default -> throw new IllegalArgumentException("--relay-family: " + relayFamily + " (expected: ipv4 or ipv6)");
            });
        }
        if (require != null) {
            Set<Transport> required = EnumSet.noneOf(Transport.class);
            for (String name : require) {
                required.add(Transport.parse(name.strip()));
            }
            options = options.withRequired(required);
        }
        return options;
    }

    /** {@code text} and {@code xml} are the library's; {@code json} is written here, where Jackson is. */
    private static Function<List<ServerReport>, String> output(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "text" -> ReportFormat.TEXT::format;
            case "xml" -> ReportFormat.XML::format;
            case "json" -> JsonReport::format;
            default -> throw new IllegalArgumentException("format: " + name + " (expected: text, json or xml)");
        };
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text.strip());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--client-address: cannot resolve " + text);
        }
    }
}
