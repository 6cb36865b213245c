package dev.turnlab.client;

import static dev.turnlab.testing.LoopbackServers.PASSWORD;
import static dev.turnlab.testing.LoopbackServers.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.testing.LoopbackServers;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.allocation.Lifetimes;
import dev.turnlab.testing.TurnServerExtension;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.Peer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client against our own server on loopback, over UDP unless a test says otherwise. */
class TurnClientTest {

    /** The shared server; tests that need other settings (faults, clocks, lifetimes) start their own. */
    @RegisterExtension
    static final TurnServerExtension turn = TurnServerExtension.builder().user(USER, PASSWORD).build();

    private static TurnServer server;

    @BeforeAll
    static void server() {
        server = turn.server();
    }

    private static TurnClient.Builder client() {
        return TurnClient.builder().server(server.udpAddress()).credentials(USER, PASSWORD);
    }

    @Test
    void bindingReturnsTheMappedAddress() {
        try (TurnClient client = client().build()) {
            TurnResult<InetSocketAddress> binding = client.binding().join();

            assertThat(binding.isSuccess()).isTrue();
            assertThat(binding.value()).isEqualTo(client.localAddress().join());
            assertThat(binding.transmissions()).isEqualTo(1);
        }
    }

    @Test
    void allocateAnswersTheChallengeAndReportsTheRelay() {
        try (TurnClient client = client().build()) {
            TurnResult<Allocation> result = client.allocate().join();

            Allocation allocation = result.value();
            assertThat(allocation.relayedAddress().getPort()).isBetween(turn.relayPorts().min(), turn.relayPorts().max());
            assertThat(allocation.mappedAddress()).isEqualTo(client.localAddress().join());
            assertThat(allocation.lifetime()).isEqualTo(Duration.ofSeconds(600));
            assertThat(client.realm()).contains("turnlab");
            assertThat(client.allocation()).contains(allocation);
        }
    }

    @Test
    void a438IsAnsweredWithTheNewNonceAFewTimesThenReported() {
        // The lab fault answers every authenticated request 438 with a fresh nonce, as a server whose every
        // nonce is stale: the client answers three times, not once and not forever.
        try (TurnServer stale = LoopbackServers.standard().fault("stale-nonce").build().start();
                TurnClient client = TurnClient.builder().server(stale.udpAddress()).credentials(USER, PASSWORD).build()) {
            TurnResult<Allocation> result = client.allocate().join();

            assertThat(result.error()).map(ErrorCode::code).contains(438);
            assertThat(stale.metrics().authFailures().get("stale_nonce")).isEqualTo(4);
        }
    }

    @Test
    void wrongPasswordIsA401WithTheRealm() {
        try (TurnClient client = TurnClient.builder().server(server.udpAddress()).credentials(USER, "wrong").build()) {
            TurnResult<Allocation> result = client.allocate().join();

            assertThat(result.isSuccess()).isFalse();
            assertThat(result.error()).map(ErrorCode::code).contains(401);
            assertThat(result.realm()).contains("turnlab");
            assertThatThrownBy(result::value).hasMessageContaining("401");
        }
    }

    @Test
    void withoutCredentialsTheChallengeIsTheResult() {
        try (TurnClient client = TurnClient.builder().server(server.udpAddress()).build()) {
            TurnResult<Allocation> result = client.allocate().join();

            assertThat(result.error()).map(ErrorCode::code).contains(401);
            assertThat(result.realm()).contains("turnlab");
        }
    }

    @Test
    void expresswayProfileAnswersAWrongPasswordWith431() {
        try (TurnServer expressway = LoopbackServers.expressway().build().start();
                TurnClient client = TurnClient.builder().server(expressway.udpAddress()).credentials(USER, "wrong").build()) {
            TurnResult<Allocation> result = client.allocate().join();

            assertThat(result.error()).map(ErrorCode::code).contains(431);
            assertThat(client.realm()).contains("TANDBERG");
        }
    }

    @Test
    void staleNonceIsRetriedOnceWithTheNewNonce() {
        MutableClock own = new MutableClock();
        try (TurnServer shortNonces = LoopbackServers.standard().clock(own).nonceLifetime(Duration.ofMinutes(1)).build().start();
                TurnClient client = client().server(shortNonces.udpAddress()).build()) {
            client.allocate().join().value();
            own.advance(Duration.ofMinutes(2)); // past the nonce's lifetime, within the allocation's

            TurnResult<Duration> refresh = client.refresh(Duration.ofSeconds(600)).join();

            assertThat(refresh.isSuccess()).as("%s", refresh).isTrue();
        }
    }

    @Test
    void sendIndicationsAndDataIndicationsCarryDataBothWays() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (Peer peer = new Peer();
                TurnClient client = client().onData((from, data) -> received.add(from + " " + text(data))).build()) {
            Allocation allocation = client.allocate().join().value();
            client.createPermission(InetAddress.getLoopbackAddress()).join().value();

            client.send(peer.address(), bytes("to the peer")).join();
            Peer.Received atPeer = peer.receive(5000);
            peer.send(allocation.relayedAddress(), bytes("to the client"));

            assertThat(atPeer).isNotNull();
            assertThat(atPeer.sender()).isEqualTo(allocation.relayedAddress());
            assertThat(text(atPeer.data())).isEqualTo("to the peer");
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(peer.address() + " to the client");
        }
    }

    @Test
    void aBoundChannelCarriesChannelDataBothWays() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (Peer peer = new Peer();
                TurnClient client = client().onData((from, data) -> received.add(from + " " + text(data))).build()) {
            Allocation allocation = client.allocate().join().value();
            int channel = client.channelBind(peer.address()).join().value();

            client.send(peer.address(), bytes("over channel")).join();
            Peer.Received atPeer = peer.receive(5000);
            peer.send(allocation.relayedAddress(), bytes("back over channel"));

            assertThat(channel).isEqualTo(0x4000);
            assertThat(atPeer).isNotNull();
            assertThat(text(atPeer.data())).isEqualTo("over channel");
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(peer.address() + " back over channel");
        }
    }

    @Test
    void refreshWithLifetimeZeroReleasesTheAllocation() {
        try (TurnClient client = client().build()) {
            client.allocate().join().value();
            int before = server.allocations().size();

            TurnResult<Duration> released = client.refresh(Duration.ZERO).join();

            assertThat(released.value()).isZero();
            assertThat(server.allocations()).hasSize(before - 1);
            assertThat(client.allocation()).isEmpty();
        }
    }

    @Test
    void closeReleasesTheAllocation() {
        TurnClient client = client().build();
        client.allocate().join().value();
        int before = server.allocations().size();

        client.close();

        assertThat(server.allocations()).hasSize(before - 1);
        assertThatThrownBy(() -> client.binding().join()).hasCauseInstanceOf(NoAnswerException.class);
    }

    @Test
    void allocationIsRefreshedBeforeItExpires() throws Exception {
        Lifetimes short3s = new Lifetimes(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(300),
                Duration.ofSeconds(600), Duration.ofSeconds(300));
        try (TurnServer shortLived = LoopbackServers.standard().lifetimes(short3s).build().start();
                TurnClient client = client().server(shortLived.udpAddress()).build()) {
            assertThat(client.allocate().join().value().lifetime()).isEqualTo(Duration.ofSeconds(3));

            // Refreshed at 1.5 s and 3 s and 4.5 s; without that, the server's sweep deletes it after 3 s.
            Thread.sleep(5_000);

            assertThat(shortLived.allocations()).hasSize(1);
            assertThat(AllocationState.refreshDelay(Duration.ofSeconds(600))).isEqualTo(Duration.ofSeconds(540));
        }
    }

    @Test
    void channelDataCrossesATcpConnectionPaddedToFourBytes() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (Peer peer = new Peer();
                TurnClient client = client().server(server.tcpAddress()).transport(Transport.TCP)
                        .onData((from, data) -> received.add(text(data))).build()) {
            Allocation allocation = client.allocate().join().value();
            client.channelBind(peer.address()).join().value();

            client.send(peer.address(), bytes("odd")).join(); // 3 bytes: one byte of padding on TCP
            Peer.Received atPeer = peer.receive(5000);
            peer.send(allocation.relayedAddress(), bytes("seven b"));
            peer.send(allocation.relayedAddress(), bytes("x"));

            assertThat(text(atPeer.data())).isEqualTo("odd");
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("seven b");
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("x");
        }
    }

    @Test
    void tcpCarriesTheSameExchanges() {
        try (TurnClient client = client().server(server.tcpAddress()).transport(Transport.TCP).build()) {
            assertThat(client.binding().join().isSuccess()).isTrue();
            assertThat(client.allocate().join().isSuccess()).isTrue();
            assertThat(client.createPermission(InetAddress.getLoopbackAddress()).join().isSuccess()).isTrue();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void aConnectionThatOpensAfterCloseIsClosedToo() throws Exception {
        // A listener that never accepts, its backlog filled first: the kernel leaves the client's SYN
        // unanswered, so its connect is still under way when the client closes.
        EventLoopGroup shared = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket filler1 = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                Socket filler2 = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
            TurnClient client = TurnClient.builder().server((InetSocketAddress) listener.getLocalSocketAddress())
                    .transport(Transport.TCP).credentials(USER, PASSWORD).eventLoopGroup(shared)
                    .connectTimeout(Duration.ofSeconds(20)).build();
            CompletableFuture<?> allocating = client.allocate();
            Thread.sleep(200);
            CompletableFuture<Void> closing = client.closeAsync();

            // Room in the backlog: the kernel answers the retransmitted SYN and the connect completes.
            listener.accept().close();
            listener.accept().close();
            try (Socket opened = listener.accept()) {
                // Whatever the client wrote before closing, the stream must end: a read times out otherwise.
                opened.setSoTimeout(10_000);
                assertThat(opened.getInputStream().readAllBytes()).hasSizeLessThan(1000);
            }
            closing.get(10, TimeUnit.SECONDS);
            assertThat(allocating).failsWithin(Duration.ofSeconds(10));
        } finally {
            shared.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
