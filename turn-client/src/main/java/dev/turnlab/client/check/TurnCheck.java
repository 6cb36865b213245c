package dev.turnlab.client.check;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.NoAnswerException;
import dev.turnlab.client.RelayTransport;
import dev.turnlab.client.Retransmission;
import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.TurnResult;
import dev.turnlab.client.check.ServerReport.AllocationCheck;
import dev.turnlab.client.check.ServerReport.CredentialCheck;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.client.check.ServerReport.RoundTrip;
import dev.turnlab.client.check.ServerReport.TransportProbe;
import dev.turnlab.client.check.ServerReport.TransportProbe.Outcome;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.capture.CaptureConfig;
import dev.turnlab.codec.capture.PacketCapture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The check a CMS Callbridge makes of its TURN servers, and what it cannot tell: for each server,
 * Binding probes on UDP (and TCP) for reachability, round trip and mapped address; Allocate for the
 * credentials and the relay; optionally data through the relay to a local peer and back. Blocking;
 * network failures end up in the report, never as exceptions.
 */
public final class TurnCheck {

    /** Where the UDP control probe goes: discard (RFC 863), or echo (RFC 862) when discard is the port checked. */
    private static final int DISCARD_PORT = 9;
    private static final int ECHO_PORT = 7;

    private final CheckOptions options;
    private final PacketCapture capture;

    private TurnCheck(CheckOptions options, PacketCapture capture) {
        this.options = options;
        this.capture = capture;
    }

    /**
     * Checks {@code servers} one after the other (so the round trips do not disturb each other).
     *
     * @throws IllegalArgumentException if the options ask for a capture file that cannot be written
     */
    public static List<ServerReport> run(List<ServerAddress> servers, CheckOptions options) {
        PacketCapture capture = openCapture(options.capture());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            TurnCheck check = new TurnCheck(options, capture);
            List<ServerReport> reports = new ArrayList<>(servers.size());
            for (ServerAddress server : servers) {
                reports.add(check.check(server, group));
            }
            return reports;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            if (capture != null) {
                capture.close();
            }
        }
    }

    private static PacketCapture openCapture(CaptureConfig config) {
        if (config == null) {
            return null;
        }
        try {
            return PacketCapture.open(config);
        } catch (IOException e) {
            throw new IllegalArgumentException("capture: cannot write " + config.file() + " (" + e + ")", e);
        }
    }

    /** Checks one server. */
    public static ServerReport run(ServerAddress server, CheckOptions options) {
        return run(List.of(server), options).get(0);
    }

    private ServerReport check(ServerAddress given, EventLoopGroup group) {
        // A TCP relay is asked for over TCP, so TCP goes first and is the one kept when it answers.
        List<Transport> order = options.transport() != null ? List.of(options.transport())
                : options.relayTransport() == RelayTransport.TCP ? List.of(Transport.TCP, Transport.UDP)
                : List.of(Transport.UDP, Transport.TCP);
        ServerAddress server = given.withDefaultPort(order.get(0).defaultPort());
        InetAddress ip;
        try {
            ip = InetAddress.getByName(server.host());
        } catch (UnknownHostException e) {
            List<TransportProbe> probes = order.stream().map(t -> new TransportProbe(t, port(t, server),
                    Outcome.NO_ANSWER, "cannot resolve " + server.host(), required(t))).toList();
            return report(server, null, probes, null, null, null, notTested(null), notAllocated(), RelayCheck.NOT_RUN);
        }
        Reach reach = reach(order, server, ip, group);
        if (reach.client() == null) {
            return report(server, ip, reach.probes(), null, null, null, notTested(null), notAllocated(),
                    RelayCheck.NOT_RUN);
        }
        try (TurnClient client = reach.client()) {
            RoundTrip roundTrip = timeProbes(client);
            Verdicts verdicts = client.transport().isReliable() || options.relayTransport() == RelayTransport.UDP
                    ? allocate(client, ip) : noTcpToAskOver();
            InetSocketAddress mapped = reach.mapped() != null ? reach.mapped() : verdicts.mapped();
            return report(server, ip, reach.probes(), reach.transport(), roundTrip, mapped, verdicts.credentials(),
                    verdicts.allocation(), verdicts.relay());
        }
    }

    /** The server's port on {@code t}: the TCP port override for TCP, when there is one. */
    private int port(Transport t, ServerAddress server) {
        return t == Transport.TCP && options.tcpPort() != 0 ? options.tcpPort() : server.port();
    }

    private boolean required(Transport t) {
        return options.required().contains(t);
    }

    /** What the first Binding on each transport showed, and the client of the first that answered. */
    private record Reach(List<TransportProbe> probes, Transport transport, TurnClient client, InetSocketAddress mapped) {
    }

    /**
     * One Binding per transport in {@code order}; the first transport that answers is kept for the rest
     * of the check. This first answer only shows reachability: it carries the cold start of this JVM
     * (class loading, first encode and decode), so it is not one of the timed probes. Over TCP and TLS the
     * connection is made first, so that a server that accepts it and then stays silent is told apart from
     * one that cannot be reached; when nothing answered and UDP was silent, {@link #udpControl} asks
     * whether the host is there at all.
     */
    private Reach reach(List<Transport> order, ServerAddress server, InetAddress ip, EventLoopGroup group) {
        List<TransportProbe> probes = new ArrayList<>();
        TurnClient kept = null;
        Transport chosen = null;
        InetSocketAddress mapped = null;
        for (Transport t : order) {
            int port = port(t, server);
            TurnClient candidate = client(t, new InetSocketAddress(ip, port), group);
            boolean connected = !t.isReliable();
            try {
                if (t.isReliable()) {
                    candidate.localAddress().join();
                    connected = true;
                }
                TurnResult<InetSocketAddress> binding = candidate.binding().join();
                probes.add(new TransportProbe(t, port, Outcome.ANSWERED, "", required(t)));
                if (kept == null) {
                    kept = candidate;
                    chosen = t;
                    mapped = binding.isSuccess() ? binding.value() : null;
                    continue;
                }
            } catch (CompletionException e) {
                probes.add(probe(t, port, NoAnswerException.of(e), t.isReliable() && connected));
            }
            candidate.close();
        }
        if (kept == null && probes.stream().noneMatch(p -> p.outcome() == Outcome.SILENT)) {
            probes.replaceAll(p -> p.transport() == Transport.UDP && p.outcome() == Outcome.NO_ANSWER
                    ? udpControl(p, ip, group) : p);
        }
        return new Reach(probes, chosen, kept, mapped);
    }

    /**
     * UDP silence alone cannot tell a hung server from a firewall that drops: so a Binding goes to a port
     * of the same host where nothing should listen (discard, 9). An ICMP port unreachable from there shows
     * the host is up and its ICMP reaches us, so the silence of the TURN port is a socket open there that
     * does not answer, or a firewall dropping that port alone; without one, nothing more is known.
     */
    private TransportProbe udpControl(TransportProbe silent, InetAddress ip, EventLoopGroup group) {
        int control = silent.port() == DISCARD_PORT ? ECHO_PORT : DISCARD_PORT;
        try (TurnClient c = client(Transport.UDP, new InetSocketAddress(ip, control), group)) {
            c.binding().join();
            return new TransportProbe(Transport.UDP, silent.port(), Outcome.SILENT, silent.detail()
                    + " and no ICMP port unreachable, while UDP port " + control + " of the host answered", silent.required());
        } catch (CompletionException e) {
            if (NoAnswerException.of(e).reason() == NoAnswerException.Reason.PORT_CLOSED) {
                return new TransportProbe(Transport.UDP, silent.port(), Outcome.SILENT, silent.detail()
                        + " and no ICMP port unreachable, while UDP port " + control
                        + " of the host drew ICMP port unreachable", silent.required());
            }
            return new TransportProbe(Transport.UDP, silent.port(), Outcome.NO_ANSWER, silent.detail()
                    + ", and no ICMP port unreachable from UDP port " + control + " of the host either", silent.required());
        }
    }

    /** The timed Binding probes, one after the other; a lost one counts as sent, not answered. */
    private RoundTrip timeProbes(TurnClient client) {
        List<Duration> roundTrips = new ArrayList<>();
        for (int i = 0; i < options.probes(); i++) {
            try {
                roundTrips.add(client.binding().join().roundTrip());
            } catch (CompletionException lost) {
                // not answered
            }
        }
        return new RoundTrip(median(roundTrips), options.probes(), roundTrips.size());
    }

    /** The verdicts of Allocate and, when asked and allocated, of the relay test. */
    private record Verdicts(CredentialCheck credentials, AllocationCheck allocation, RelayCheck relay,
            InetSocketAddress mapped) {
    }

    /**
     * Allocate with the credentials: 401, 431 or 441 to the signed request means they were refused; 438
     * Stale Nonce to the request signed with the nonce just given means they were never judged (the
     * server checks the nonce before the integrity, RFC 8489 §9.2.4); any other refusal (486, 508,
     * 403...) comes after authentication, so they were accepted.
     */
    private Verdicts allocate(TurnClient client, InetAddress checked) {
        TurnResult<Allocation> result;
        InetSocketAddress asked = client.server();
        try {
            result = client.allocate().join();
        } catch (CompletionException e) {
            String moved = Redirection.describe(asked, client.server(), null);
            return new Verdicts(notTested(client.realm().orElse(null)), new AllocationCheck(
                    AllocationCheck.Status.NO_ANSWER, null, null, null,
                    (moved.isEmpty() ? "" : moved + ", which did not answer: ") + NoAnswerException.of(e).getMessage(),
                    options.clientAddress(), options.relayTransport()),
                    RelayCheck.NOT_RUN, null);
        }
        String redirected = Redirection.describe(asked, client.server(), result.response());
        String realm = client.realm().orElse(result.realm().orElse(null));
        if (result.isSuccess()) {
            Allocation a = result.value();
            AllocationCheck allocated = new AllocationCheck(AllocationCheck.Status.ALLOCATED, a.relayedAddress(),
                    a.lifetime(), null, redirected, options.clientAddress(), options.relayTransport());
            RelayCheck relay = !options.relayTest() ? RelayCheck.NOT_RUN
                    : options.relayTransport() == RelayTransport.TCP ? new TcpRelayCheck(options).run(client, a)
                    : new UdpRelayCheck(options, capture).run(client, a, checked);
            return new Verdicts(credentials(CredentialCheck.Status.ACCEPTED, realm, null), allocated, relay,
                    a.mappedAddress());
        }
        ErrorCode error = result.error().orElseThrow();
        if (options.username() == null) {
            return new Verdicts(notTested(realm), notAllocated(), RelayCheck.NOT_RUN, null);
        }
        AllocationCheck refused = new AllocationCheck(AllocationCheck.Status.REFUSED, null, null, error, redirected,
                options.clientAddress(), options.relayTransport());
        if (error.code() == 401 || error.code() == 431 || error.code() == 441) {
            return new Verdicts(credentials(CredentialCheck.Status.REJECTED, realm, error), refused, RelayCheck.NOT_RUN, null);
        }
        CredentialCheck.Status status = realm != null && error.code() != 438 ? CredentialCheck.Status.ACCEPTED
                : CredentialCheck.Status.NOT_TESTED;
        return new Verdicts(credentials(status, realm, null), refused, RelayCheck.NOT_RUN, null);
    }

    /** RFC 6062 §4.1: a TCP relay is asked for over TCP or TLS, and only UDP answered. */
    private Verdicts noTcpToAskOver() {
        return new Verdicts(notTested(null), new AllocationCheck(AllocationCheck.Status.NOT_TESTED, null, null, null,
                "a TCP relay is asked for over TCP or TLS, and only UDP answered", options.clientAddress(),
                RelayTransport.TCP), RelayCheck.NOT_RUN, null);
    }

    private TurnClient client(Transport t, InetSocketAddress address, EventLoopGroup group) {
        TurnClient.Builder b = TurnClient.builder().server(address).transport(t).eventLoopGroup(group)
                .retransmission(Retransmission.defaultFor(t).within(options.timeout()))
                .connectTimeout(options.timeout());
        if (options.username() != null) {
            b.credentials(options.username(), options.password());
        }
        if (options.sslContext() != null) {
            b.sslContext(options.sslContext());
        }
        if (options.dtlsEngines() != null) {
            b.dtlsEngines(options.dtlsEngines());
        }
        if (options.relayFamily() != null) {
            b.requestedAddressFamily(options.relayFamily());
        }
        if (t.isReliable()) {
            b.relayTransport(options.relayTransport());
        }
        if (capture != null) {
            b.capture(capture);
        }
        return b.build();
    }

    /** What {@code e} shows of transport {@code t}; {@code connected}: a TCP or TLS connection was made. */
    private TransportProbe probe(Transport t, int port, NoAnswerException e, boolean connected) {
        if (e.reason() == NoAnswerException.Reason.TLS_FAILED && e.getCause() instanceof SslHandshakeTimeoutException) {
            return new TransportProbe(t, port, Outcome.SILENT, "connection accepted, no answer to the TLS handshake "
                    + "within " + millis(options.timeout()), required(t));
        }
        Outcome outcome = switch (e.reason()) {
            case PORT_CLOSED -> Outcome.PORT_CLOSED;
            case TLS_FAILED -> Outcome.TLS_FAILED;
            default -> connected ? Outcome.SILENT : Outcome.NO_ANSWER;
        };
        String detail = switch (e.reason()) {
            case PORT_CLOSED -> t.isReliable() ? "connection refused" : "ICMP port unreachable";
            case TIMEOUT -> connected ? "connection accepted, no STUN answer within " + millis(options.timeout())
                    : "no answer within " + millis(options.timeout());
            case CLOSED -> connected ? "connection accepted, then closed without a STUN answer" : e.getMessage();
            default -> e.getMessage();
        };
        return new TransportProbe(t, port, outcome, detail, required(t));
    }

    private static String millis(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private CredentialCheck credentials(CredentialCheck.Status status, String realm, ErrorCode error) {
        return new CredentialCheck(status, options.username(), realm, options.expectedRealm(), error);
    }

    private CredentialCheck notTested(String realm) {
        return credentials(CredentialCheck.Status.NOT_TESTED, realm, null);
    }

    private AllocationCheck notAllocated() {
        return new AllocationCheck(AllocationCheck.Status.NOT_TESTED, null, null, null, "", options.clientAddress(),
                options.relayTransport());
    }

    private static ServerReport report(ServerAddress server, InetAddress ip, List<TransportProbe> probes,
            Transport chosen, RoundTrip roundTrip, InetSocketAddress mapped, CredentialCheck credentials,
            AllocationCheck allocation, RelayCheck relay) {
        ServerReport facts = new ServerReport(server, ip, probes, chosen, roundTrip, mapped, credentials, allocation,
                relay, List.of());
        return facts.withFindings(Diagnosis.of(facts));
    }

    /** The median of the durations (the mean of the middle two for an even count). */
    static Duration median(List<Duration> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Duration> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }
}
