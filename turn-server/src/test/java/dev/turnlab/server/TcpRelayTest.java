package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.isError;
import static dev.turnlab.server.support.BlockingClient.relayed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.ChannelNumber;
import dev.turnlab.codec.attribute.ConnectionId;
import dev.turnlab.codec.attribute.DontFragment;
import dev.turnlab.codec.attribute.EvenPort;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.XorPeerAddress;
import dev.turnlab.server.admin.MetricsSnapshot;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.server.support.TcpEchoPeer;
import dev.turnlab.testing.tools.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TCP relays (RFC 6062) through real sockets on loopback: Allocate with REQUESTED-TRANSPORT TCP, Connect,
 * ConnectionAttempt, ConnectionBind, the raw bytes of data connections, and how each side's end ends the other.
 */
class TcpRelayTest {

    private static final int WAIT = 10_000;

    private final MutableClock clock = MutableClock.now();
    private final List<AutoCloseable> open = new ArrayList<>();
    private TurnServer server;
    private TcpEchoPeer echo;

    @BeforeEach
    void start() throws Exception {
        // Binds not made within 2 s close their peer connection: the RFC's 30 s, made short for the test.
        server = TestServers.loopback(clock).tlsPort(0).peerQuota(3)
                .connectionLimits(ConnectionLimits.DEFAULT.withConnectionBindTimeout(Duration.ofSeconds(2))).build().start();
        echo = new TcpEchoPeer();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        echo.close();
        server.close();
    }

    @Test
    void allocateTcpOverTcpAndTlsGivesAListeningRelayedAddress() throws Exception {
        BlockingClient tcp = tcp();
        BlockingClient tls = track(BlockingClient.tls(server.tlsAddress(), "alice", "alice-secret"));

        for (BlockingClient c : List.of(tcp, tls)) {
            StunMessage response = allocateTcp(c);
            assertThat(response.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(relayed(response).getPort()).isBetween(TestServers.RELAY_MIN, TestServers.RELAY_MAX);
        }
        // A listening socket: a peer's connection is accepted (and, with no permission, closed at once).
        try (Socket peer = new Socket()) {
            peer.connect(relayed(allocateTcp(tcp())), WAIT);
            assertThat(peer.isConnected()).isTrue();
        }
    }

    @Test
    void tcpRelayIsRefusedOverUdpAndWithUdpOnlyAttributes() throws Exception {
        try (BlockingClient udp = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            assertThat(isError(udp.authenticated(Method.ALLOCATE, RequestedTransport.TCP), 400)).isTrue();
        }
        BlockingClient tcp = tcp();
        assertThat(isError(allocateTcp(tcp, new DontFragment()), 400)).isTrue();
        assertThat(isError(allocateTcp(tcp, new EvenPort(false)), 400)).isTrue();
        assertThat(isError(tcp.authenticated(Method.ALLOCATE, new RequestedTransport(132)), 442)).isTrue();
        assertThat(server.allocations()).isEmpty();
    }

    @Test
    void connectThenConnectionBindRelaysBytesBothWays() throws Exception {
        BlockingClient control = tcp();
        allocateTcp(control);
        assertThat(control.createPermission(echo.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

        StunMessage connected = control.authenticated(Method.CONNECT, new XorPeerAddress(echo.address()));
        assertThat(connected.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        ConnectionId id = connected.get(ConnectionId.class);
        assertThat(id).isNotNull();
        // RFC 6062 §5.2: the connection leaves from the relayed transport address.
        Socket atPeer = echo.nextConnection(WAIT);
        assertThat(atPeer.getRemoteSocketAddress()).isEqualTo(relayedAddress());

        BlockingClient data = tcp();
        assertThat(data.authenticated(Method.CONNECTION_BIND, id).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        data.sendRaw("hello, peer".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(data.receiveBytes(11, WAIT), StandardCharsets.US_ASCII)).isEqualTo("hello, peer");

        // 4 MiB written while the echo comes back: the reads on each side pause and resume, and nothing is lost.
        byte[] bulk = new byte[4 << 20];
        new Random(6062).nextBytes(bulk);
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                for (int off = 0; off < bulk.length; off += 65536) {
                    data.sendRaw(Arrays.copyOfRange(bulk, off, off + 65536));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(data.receiveBytes(bulk.length, 60_000)).isEqualTo(bulk);
        writing.get(60, TimeUnit.SECONDS);

        MetricsSnapshot m = server.metrics();
        assertThat(m.tcpRelays().opened()).isEqualTo(1);
        assertThat(m.tcpRelays().active()).isEqualTo(1);
        assertThat(m.relayed().bytesToPeer()).isEqualTo(11 + bulk.length);
        assertThat(m.relayed().bytesToClient()).isEqualTo(11 + bulk.length);
        assertThat(m.requests()).containsEntry("connect", 1L);
    }

    @Test
    void bytesRightBehindTheConnectionBindGoToThePeer() throws Exception {
        BlockingClient control = tcp();
        allocateTcp(control);
        control.createPermission(echo.address());
        ConnectionId id = control.authenticated(Method.CONNECT, new XorPeerAddress(echo.address())).get(ConnectionId.class);
        BlockingClient data = tcp();
        // A first ConnectionBind learns this connection's nonce (and names no connection: 400).
        assertThat(isError(data.authenticated(Method.CONNECTION_BIND, new ConnectionId(id.id() + 1)), 400)).isTrue();

        // The signed ConnectionBind and the first bytes for the peer in one write: the stream decoder holds
        // those bytes when the pipeline changes, and hands them on to the peer.
        byte[] bind = BlockingClient.encode(data.signed(Method.CONNECTION_BIND, id));
        byte[] tail = "right behind".getBytes(StandardCharsets.US_ASCII);
        byte[] both = Arrays.copyOf(bind, bind.length + tail.length);
        System.arraycopy(tail, 0, both, bind.length, tail.length);
        data.sendRaw(both);

        StunMessage response = BlockingClient.decode(data.receiveRaw(WAIT));
        assertThat(response.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(response.method()).isEqualTo(Method.CONNECTION_BIND);
        assertThat(data.receiveBytes(tail.length, WAIT)).isEqualTo(tail);
    }

    @Test
    void connectNeedsAPermissionAndFailsWith447OnAClosedPortAnd446Twice() throws Exception {
        BlockingClient control = tcp();
        allocateTcp(control);
        assertThat(isError(control.authenticated(Method.CONNECT, new XorPeerAddress(echo.address())), 403)).isTrue();
        control.createPermission(echo.address());
        InetSocketAddress closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, echo.address().getAddress())) {
            closed = (InetSocketAddress) s.getLocalSocketAddress();
        }

        assertThat(isError(control.authenticated(Method.CONNECT, new XorPeerAddress(closed)), 447)).isTrue();
        assertThat(control.authenticated(Method.CONNECT, new XorPeerAddress(echo.address())).stunClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(isError(control.authenticated(Method.CONNECT, new XorPeerAddress(echo.address())), 446)).isTrue();
        assertThat(isError(control.authenticated(Method.CONNECT), 400)).isTrue();
        // The permission is for 127.0.0.1, but the server's own listening socket there is no peer (as for UDP).
        assertThat(isError(control.authenticated(Method.CONNECT, new XorPeerAddress(server.tcpAddress())), 403)).isTrue();
        assertThat(server.metrics().tcpRelays().failures()).containsEntry("connect_failed", 1L);
        // Channels and Send indications are for UDP relays.
        assertThat(isError(control.authenticated(Method.CHANNEL_BIND, new ChannelNumber(0x4000),
                new XorPeerAddress(echo.address())), 400)).isTrue();
    }

    @Test
    void tcpAllocationsCountInTheUserQuota() throws Exception {
        try (TurnServer capped = TestServers.loopback(clock).userQuota(1).build().start();
                BlockingClient tcp = BlockingClient.tcp(capped.tcpAddress(), "alice", "alice-secret");
                BlockingClient udp = BlockingClient.udp(capped.udpAddress(), "alice", "alice-secret")) {
            assertThat(allocateTcp(tcp).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(isError(udp.allocate(), 486)).isTrue();
        }
    }

    @Test
    void peerQuotaBoundsThePeerConnections() throws Exception {
        BlockingClient control = tcp();
        allocateTcp(control);
        control.createPermission(echo.address());
        List<TcpEchoPeer> others = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                TcpEchoPeer other = new TcpEchoPeer();
                others.add(other);
                assertThat(control.authenticated(Method.CONNECT, new XorPeerAddress(other.address())).stunClass())
                        .isEqualTo(StunClass.SUCCESS_RESPONSE);
            }
            assertThat(isError(control.authenticated(Method.CONNECT, new XorPeerAddress(echo.address())), 508)).isTrue();
        } finally {
            for (TcpEchoPeer other : others) {
                other.close();
            }
        }
    }

    @Test
    void connectionBindForAnUnknownIdIs400AndTheConnectionStaysUsable() throws Exception {
        BlockingClient data = tcp();
        assertThat(isError(data.authenticated(Method.CONNECTION_BIND, new ConnectionId(12345)), 400)).isTrue();
        assertThat(data.exchange(StunMessage.request(Method.BINDING).build()).stunClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
        try (BlockingClient udp = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            assertThat(isError(udp.authenticated(Method.CONNECTION_BIND, new ConnectionId(12345)), 400)).isTrue();
        }
        assertThat(server.metrics().tcpRelays().failures()).containsEntry("unknown_bind", 1L);
    }

    @Test
    void aPeerWithoutPermissionIsRefusedAndWithOneGetsAConnectionAttempt() throws Exception {
        BlockingClient control = tcp();
        InetSocketAddress relay = relayed(allocateTcp(control));

        try (Socket stranger = new Socket()) {
            stranger.connect(relay, WAIT);
            stranger.setSoTimeout(WAIT);
            assertThat(readsEnd(stranger.getInputStream())).isTrue();
        }
        awaitTrue(() -> server.metrics().tcpRelays().failures().get("peer_refused") == 1);
        assertThat(control.receiveRaw(200)).isNull();

        control.createPermission(new InetSocketAddress(echo.address().getAddress(), 0));
        try (Socket peer = new Socket()) {
            peer.connect(relay, WAIT);
            StunMessage attempt = BlockingClient.decode(control.receiveRaw(WAIT));
            assertThat(attempt.method()).isEqualTo(Method.CONNECTION_ATTEMPT);
            assertThat(attempt.stunClass()).isEqualTo(StunClass.INDICATION);
            assertThat(attempt.get(XorPeerAddress.class).address()).isEqualTo(peer.getLocalSocketAddress());
            // Sent before the bind: it waits for it (RFC 6062 §5.3).
            peer.getOutputStream().write("early".getBytes(StandardCharsets.US_ASCII));

            BlockingClient data = tcp();
            // Another user may not take it; it stays for its own.
            BlockingClient bob = track(BlockingClient.tcp(server.tcpAddress(), "bob", "bob-secret"));
            assertThat(isError(bob.authenticated(Method.CONNECTION_BIND, attempt.get(ConnectionId.class)), 441)).isTrue();
            assertThat(data.authenticated(Method.CONNECTION_BIND, attempt.get(ConnectionId.class)).stunClass())
                    .isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(new String(data.receiveBytes(5, WAIT), StandardCharsets.US_ASCII)).isEqualTo("early");
            data.sendRaw("back".getBytes(StandardCharsets.US_ASCII));
            peer.setSoTimeout(WAIT);
            assertThat(new String(peer.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("back");
            // Bound once: a second bind of the same id finds nothing.
            assertThat(isError(tcp().authenticated(Method.CONNECTION_BIND, attempt.get(ConnectionId.class)), 400)).isTrue();

            // A reset by the peer ends the client data connection.
            peer.setSoLinger(true, 0);
            peer.close();
            assertThat(data.awaitClosed(WAIT)).isTrue();
        }
        awaitTrue(() -> server.metrics().tcpRelays().active() == 0);
    }

    @Test
    void aPeerConnectionNeverBoundIsClosedAfterTheBindTimeout() throws Exception {
        BlockingClient control = tcp();
        InetSocketAddress relay = relayed(allocateTcp(control));
        control.createPermission(new InetSocketAddress(echo.address().getAddress(), 0));
        try (Socket peer = new Socket()) {
            peer.connect(relay, WAIT);
            ConnectionId id = BlockingClient.decode(control.receiveRaw(WAIT)).get(ConnectionId.class);
            peer.setSoTimeout(WAIT);
            assertThat(readsEnd(peer.getInputStream())).isTrue();
            assertThat(server.metrics().tcpRelays().failures()).containsEntry("bind_timeout", 1L);
            assertThat(isError(tcp().authenticated(Method.CONNECTION_BIND, id), 400)).isTrue();
        }
        awaitTrue(() -> server.metrics().tcpRelays().active() == 0);
    }

    @Test
    void deletingTheAllocationClosesItsPeerAndDataConnections() throws Exception {
        BlockingClient control = tcp();
        allocateTcp(control);
        control.createPermission(echo.address());
        ConnectionId id = control.authenticated(Method.CONNECT, new XorPeerAddress(echo.address())).get(ConnectionId.class);
        Socket atPeer = echo.nextConnection(WAIT);
        BlockingClient data = tcp();
        data.authenticated(Method.CONNECTION_BIND, id);

        assertThat(control.refresh(0).get(Lifetime.class).seconds()).isZero();

        assertThat(data.awaitClosed(WAIT)).isTrue();
        awaitTrue(atPeer::isClosed);
        awaitTrue(() -> server.metrics().tcpRelays().active() == 0);
    }

    @Test
    void closingTheClientDataConnectionClosesThePeers() throws Exception {
        BlockingClient control = tcp();
        allocateTcp(control);
        control.createPermission(echo.address());
        ConnectionId id = control.authenticated(Method.CONNECT, new XorPeerAddress(echo.address())).get(ConnectionId.class);
        BlockingClient data = tcp();
        data.authenticated(Method.CONNECTION_BIND, id);
        data.close();
        awaitTrue(() -> server.metrics().tcpRelays().active() == 0);
        // The allocation lives on: a new Connect to the same peer is allowed again.
        assertThat(control.authenticated(Method.CONNECT, new XorPeerAddress(echo.address())).stunClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    private InetSocketAddress relayedAddress() {
        return server.allocations().get(0).relayedAddress();
    }

    private BlockingClient tcp() throws IOException {
        return track(BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret"));
    }

    private BlockingClient track(BlockingClient c) {
        open.add(c);
        return c;
    }

    private static StunMessage allocateTcp(BlockingClient c, StunAttribute... extra) throws IOException {
        List<StunAttribute> all = new ArrayList<>(List.of(RequestedTransport.TCP));
        all.addAll(List.of(extra));
        return c.authenticated(Method.ALLOCATE, all.toArray(new StunAttribute[0]));
    }

    /** Whether the stream ends (EOF or reset) before the socket's timeout, discarding bytes until then. */
    private static boolean readsEnd(InputStream in) throws IOException {
        try {
            while (in.read() >= 0) {
                // discard
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %d ms", WAIT).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
