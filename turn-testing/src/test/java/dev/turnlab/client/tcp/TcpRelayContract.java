package dev.turnlab.client.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.ConnectionAttempt;
import dev.turnlab.client.DataConnection;
import dev.turnlab.client.RelayTransport;
import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.TurnResult;
import dev.turnlab.client.check.CheckOptions;
import dev.turnlab.client.check.ReportFormat;
import dev.turnlab.client.check.ServerAddress;
import dev.turnlab.client.check.ServerReport;
import dev.turnlab.client.check.ServerReport.AllocationCheck;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.client.check.TurnCheck;
import dev.turnlab.testing.tools.TcpEchoPeer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What {@link TurnClient} and turn-check do with a TCP relay (RFC 6062) on any server that offers them
 * on loopback and relays to loopback peers: a subclass names the server (coturn's {@code turnserver}; ours once it
 * has TCP relays) and its credentials. Every wait is for a condition, at most {@link #WAIT_MS}.
 */
abstract class TcpRelayContract {

    /** How long any one thing may take on a loaded two-core machine. */
    static final long WAIT_MS = 10_000;

    private static final SslContext TRUST_ANYTHING = trustAnything();

    /** The server's address for {@link #transport()}. */
    protected abstract InetSocketAddress server();

    /** The transport to the server, and of the data connections: TCP unless a subclass says TLS. */
    protected Transport transport() {
        return Transport.TCP;
    }

    /** A user the server accepts. */
    protected abstract String user();

    /** That user's password. */
    protected abstract String password();

    /** A client of the server over {@link #transport()}, without a relay transport set; over TLS it trusts any certificate. */
    protected TurnClient.Builder client() {
        TurnClient.Builder b = TurnClient.builder().server(server()).transport(transport()).credentials(user(), password());
        return transport() == Transport.TLS ? b.sslContext(TRUST_ANYTHING) : b;
    }

    /** A client of the server asking for a TCP relay. */
    private TurnClient.Builder tcpClient() {
        return client().relayTransport(RelayTransport.TCP);
    }

    @Test
    void connectBindsADataConnectionAndBytesEchoThroughTheRelay() throws Exception {
        try (TcpEchoPeer peer = TcpEchoPeer.start(); TurnClient client = tcpClient().build()) {
            Allocation allocation = client.allocate().join().value();
            assertThat(client.allocation()).contains(allocation);

            TurnResult<DataConnection> connected = client.connect(peer.address()).join();

            assertThat(connected.isSuccess()).as("%s", connected).isTrue();
            DataConnection data = connected.value();
            assertThat(data.peer()).isEqualTo(peer.address());
            // The peer sees the relay connect from the relayed address (RFC 6062 §5.2).
            assertThat(peer.awaitAccepted(WAIT_MS).getAddress()).isEqualTo(allocation.relayedAddress().getAddress());
            Received received = new Received();
            data.onData(received::add);
            byte[] hello = "hello over a TCP relay".getBytes(StandardCharsets.US_ASCII);
            data.send(hello).join();
            assertThat(received.await(hello.length)).isEqualTo(hello);
        }
    }

    @Test
    void largeWritesArriveWholeAndInOrder() throws Exception {
        try (TcpEchoPeer peer = TcpEchoPeer.start(); TurnClient client = tcpClient().build()) {
            client.allocate().join().value();
            DataConnection data = client.connect(peer.address()).join().value();
            Received received = new Received();
            data.onData(received::add);
            byte[] block = new byte[200_000];
            for (int i = 0; i < block.length; i++) {
                block[i] = (byte) (i * 31);
            }
            data.send(block).join();
            assertThat(received.await(block.length)).isEqualTo(block);
        }
    }

    @Test
    void aPeerConnectsToTheOtherClientsRelayedAddressWhichAcceptsAndBytesFlowBothWays() throws Exception {
        BlockingQueue<ConnectionAttempt> attempts = new LinkedBlockingQueue<>();
        try (TurnClient a = tcpClient().build(); TurnClient b = tcpClient().onConnectionAttempt(attempts::add).build()) {
            Allocation atA = a.allocate().join().value();
            Allocation atB = b.allocate().join().value();
            // B lets A's relay in; A's connect permits B's relayed address itself.
            assertThat(b.createPermission(atA.relayedAddress().getAddress()).join().isSuccess()).isTrue();

            var connecting = a.connect(atB.relayedAddress());
            ConnectionAttempt attempt = attempts.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(attempt).as("a ConnectionAttempt at B").isNotNull();
            assertThat(attempt.peer()).isEqualTo(atA.relayedAddress());
            TurnResult<DataConnection> accepted = b.accept(attempt).join();
            assertThat(accepted.isSuccess()).as("%s", accepted).isTrue();
            TurnResult<DataConnection> connected = connecting.get(WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(connected.isSuccess()).as("%s", connected).isTrue();

            Received atAReceived = new Received();
            Received atBReceived = new Received();
            connected.value().onData(atAReceived::add);
            accepted.value().onData(atBReceived::add);
            byte[] toB = "from A to B".getBytes(StandardCharsets.US_ASCII);
            byte[] toA = "and from B back to A".getBytes(StandardCharsets.US_ASCII);
            connected.value().send(toB).join();
            accepted.value().send(toA).join();
            assertThat(atBReceived.await(toB.length)).isEqualTo(toB);
            assertThat(atAReceived.await(toA.length)).isEqualTo(toA);
        }
    }

    @Test
    void connectToAPortWhereNothingListensIs447() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = (InetSocketAddress) s.getLocalSocketAddress();
        }
        try (TurnClient client = tcpClient().build()) {
            client.allocate().join().value();

            TurnResult<DataConnection> refused = client.connect(closed).join();

            assertThat(refused.isSuccess()).isFalse();
            assertThat(refused.error().orElseThrow().code()).isEqualTo(447);
        }
    }

    @Test
    void thePeerHangingUpIsReportedAndClosingTheClientClosesItsDataConnections() throws Exception {
        try (TcpEchoPeer peer = TcpEchoPeer.start(); TurnClient client = tcpClient().build()) {
            client.allocate().join().value();
            DataConnection hungUp = client.connect(peer.address()).join().value();
            peer.awaitAccepted(WAIT_MS);
            peer.closeConnections();
            assertThat(hungUp.closure().get(WAIT_MS, TimeUnit.MILLISECONDS)).isIn(DataConnection.Closure.REMOTE,
                    DataConnection.Closure.RESET);

            DataConnection open = client.connect(peer.address()).join().value();
            InetSocketAddress relaySide = peer.awaitAccepted(WAIT_MS);
            client.close();

            assertThat(open.closure().get(WAIT_MS, TimeUnit.MILLISECONDS)).isEqualTo(DataConnection.Closure.LOCAL);
            // The server closes the peer's side when the client's data connection goes (RFC 6062 §5.5).
            InetSocketAddress ended;
            do {
                ended = peer.awaitEnded(WAIT_MS);
            } while (ended != null && !ended.equals(relaySide));
            assertThat(ended).isEqualTo(relaySide);
        }
    }

    @Test
    void connectWithoutATcpAllocationIsAnIllegalState() {
        try (TurnClient client = client().build()) {
            client.allocate().join().value();

            assertThat(client.connect(new InetSocketAddress("127.0.0.1", 9)))
                    .failsWithin(Duration.ofMillis(WAIT_MS))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(IllegalStateException.class)
                    .withMessageContaining("no TCP allocation");
        }
    }

    @Test
    void turnCheckAllocatesATcpRelayAndEchoesThroughIt() {
        ServerReport r = TurnCheck.run(new ServerAddress(server().getHostString(), server().getPort()),
                checkOptions().withRelayTest(true).withRelayTransport(RelayTransport.TCP));

        assertThat(r.findings()).as("%s", r.findings()).isEmpty();
        assertThat(r.transport()).isEqualTo(transport());
        assertThat(r.allocation().status()).isEqualTo(AllocationCheck.Status.ALLOCATED);
        assertThat(r.allocation().relayTransport()).isEqualTo(RelayTransport.TCP);
        assertThat(r.relay().status()).as(r.relay().detail()).isEqualTo(RelayCheck.Status.PASSED);
        assertThat(r.relay().clientToPeer()).isTrue();
        assertThat(r.relay().peerToClient()).isTrue();
        assertThat(ReportFormat.TEXT.format(List.of(r))).contains("  allocation      TCP relayed address ",
                "  relay test      passed: client -> relay -> TCP peer ");
    }

    @Test
    void turnCheckOverUdpOnlyCannotAskForATcpRelay() {
        assertThatThrownBy(() -> checkOptions().withTransport(Transport.UDP).withRelayTransport(RelayTransport.TCP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("relay transport: tcp over udp");
    }

    /** turn-check's options for this server: its credentials, a short timeout, few probes; over TLS any certificate. */
    protected CheckOptions checkOptions() {
        CheckOptions options = CheckOptions.DEFAULTS.withCredentials(user(), password()).withTimeout(Duration.ofSeconds(5))
                .withProbes(2);
        return transport() == Transport.TLS ? options.withTransport(Transport.TLS).withSslContext(TRUST_ANYTHING) : options;
    }

    /** A TLS client context for the lab servers' self-signed certificates. */
    private static SslContext trustAnything() {
        try {
            return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .endpointIdentificationAlgorithm(null).build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What arrived on a data connection, in order. */
    static final class Received {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        synchronized void add(byte[] chunk) {
            bytes.writeBytes(chunk);
            notifyAll();
        }

        /** The first {@code count} bytes, waiting at most {@link #WAIT_MS} for them; fewer if they did not come. */
        synchronized byte[] await(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            for (long left; bytes.size() < count && (left = deadline - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return bytes.toByteArray();
        }
    }
}
