package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.isError;
import static dev.turnlab.server.support.BlockingClient.relayed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.XorMappedAddress;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.Peer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TURN over TCP and TLS (RFC 8656 §3.1): framing, ChannelData padding, connection lifetime. */
class TurnServerStreamTest {

    private final MutableClock clock = MutableClock.now();
    private TurnServer server;
    private Peer peer;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.loopback(clock).tlsPort(0).build().start();
        peer = new Peer();
    }

    @AfterEach
    void stop() {
        peer.close();
        server.close();
    }

    @Test
    void udpAndTcpShareThePortAndTlsHasItsOwn() {
        assertThat(server.tcpAddress().getPort()).isEqualTo(server.udpAddress().getPort());
        assertThat(server.tlsAddress().getPort()).isNotEqualTo(server.tcpAddress().getPort());
    }

    @Test
    void bindingOverTcpAndTls() throws Exception {
        try (BlockingClient tcp = BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret");
                BlockingClient tls = BlockingClient.tls(server.tlsAddress(), "alice", "alice-secret")) {
            assertThat(tcp.exchange(StunMessage.request(Method.BINDING).build()).get(XorMappedAddress.class).address())
                    .isEqualTo(tcp.localAddress());
            assertThat(tls.exchange(StunMessage.request(Method.BINDING).build()).get(XorMappedAddress.class).address())
                    .isEqualTo(tls.localAddress());
        }
    }

    @Test
    void channelDataBothWaysOverTcpWithPadding() throws Exception {
        try (BlockingClient client = BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret")) {
            relayOverStream(client);
        }
    }

    @Test
    void channelDataBothWaysOverTls() throws Exception {
        try (BlockingClient client = BlockingClient.tls(server.tlsAddress(), "alice", "alice-secret")) {
            relayOverStream(client);
        }
    }

    private void relayOverStream(BlockingClient client) throws Exception {
        InetSocketAddress relay = relayed(client.allocate());
        assertThat(client.channelBind(0x4001, peer.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        // 5 bytes: three bytes of padding on the stream, none in the relayed datagram.
        client.sendChannelData(0x4001, bytes("hello"));
        client.sendChannelData(0x4001, bytes("world!!!"));
        assertThat(peer.receive(2000).data()).isEqualTo(bytes("hello"));
        assertThat(peer.receive(2000).data()).isEqualTo(bytes("world!!!"));

        peer.send(relay, bytes("abc"));
        peer.send(relay, bytes("defgh"));
        byte[] first = client.receiveRaw(2000);
        byte[] second = client.receiveRaw(2000);
        assertThat(new String(first, 4, first.length - 4, StandardCharsets.UTF_8)).isEqualTo("abc");
        assertThat(new String(second, 4, second.length - 4, StandardCharsets.UTF_8)).isEqualTo("defgh");
    }

    @Test
    void sendAndDataIndicationsOverTcp() throws Exception {
        try (BlockingClient client = BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret")) {
            InetSocketAddress relay = relayed(client.allocate());
            client.createPermission(peer.address());
            client.sendIndication(peer.address(), bytes("ping"));
            assertThat(peer.receive(2000).data()).isEqualTo(bytes("ping"));
            peer.send(relay, bytes("pong"));
            StunMessage data = BlockingClient.decode(client.receiveRaw(2000));
            assertThat(data.get(Data.class).value()).isEqualTo(bytes("pong"));
        }
    }

    @Test
    void closingTheConnectionDeletesTheAllocation() throws Exception {
        int free;
        try (BlockingClient client = BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret")) {
            free = server.availableRelayPorts();
            client.allocate();
            assertThat(server.allocations()).hasSize(1);
        }
        for (int i = 0; i < 200 && (!server.allocations().isEmpty() || server.availableRelayPorts() != free); i++) {
            Thread.sleep(10);
        }
        assertThat(server.allocations()).isEmpty();
        assertThat(server.availableRelayPorts()).isEqualTo(free);
    }

    @Test
    void brokenFramingClosesOnlyThatConnection() throws Exception {
        try (BlockingClient bad = BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret");
                BlockingClient good = BlockingClient.tcp(server.tcpAddress(), "bob", "bob-secret")) {
            good.allocate();
            bad.sendRaw(new byte[] {(byte) 0xC0, 0, 0, 0, 1, 2, 3, 4});
            assertThat(readsEndOfStream(bad)).isTrue();
            assertThat(server.counters().malformedCount()).isEqualTo(1);
            assertThat(good.refresh(600).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        }
    }

    @Test
    void idleConnectionsWithoutAnAllocationAreClosed() throws Exception {
        try (TurnServer quick = TestServers.loopback(clock).idleTimeout(java.time.Duration.ofMillis(300)).build().start();
                BlockingClient idle = BlockingClient.tcp(quick.tcpAddress(), "alice", "alice-secret");
                BlockingClient busy = BlockingClient.tcp(quick.tcpAddress(), "bob", "bob-secret")) {
            busy.allocate();
            assertThat(readsEndOfStream(idle)).isTrue();
            Thread.sleep(400); // past the idle time: the connection with an allocation stays
            assertThat(busy.refresh(600).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        }
    }

    @Test
    void wrongPasswordOverTcp() throws Exception {
        try (BlockingClient client = BlockingClient.tcp(server.tcpAddress(), "alice", "wrong")) {
            assertThat(isError(client.allocate(), 401)).isTrue();
        }
    }

    /** Whether the server closed the connection: reading hits the end of the stream (or a reset). */
    private static boolean readsEndOfStream(BlockingClient client) {
        try {
            client.receiveRaw(2000);
            return false;
        } catch (java.io.EOFException | java.net.SocketException e) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
