package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.isError;
import static dev.turnlab.server.support.BlockingClient.relayed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.Peer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay never sends to the server's own sockets, even with loopback peers allowed: its listeners and
 * relay ports no live allocation holds (a live one is a peer: see {@link RelayToRelayTest}). A permission
 * is per IP address (RFC 8656 §9), so the port decides whether a peer is the server itself.
 */
class SelfRelayTest {

    private final MutableClock clock = MutableClock.now();
    private TurnServer server;
    private BlockingClient client;
    private InetSocketAddress relayed;

    @BeforeEach
    void allocate() throws Exception {
        server = TestServers.loopback(clock).build().start();
        client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
        relayed = relayed(client.allocate());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    @Test
    void createPermissionForAListenerIs403() throws Exception {
        assertThat(isError(client.createPermission(server.udpAddress()), 403)).isTrue();
        assertThat(isError(client.createPermission(server.tcpAddress()), 403)).isTrue();
    }

    @Test
    void channelBindToAListenerOrAnUnheldRelayPortIs403() throws Exception {
        assertThat(isError(client.channelBind(0x4000, server.udpAddress()), 403)).isTrue();
        assertThat(isError(client.channelBind(0x4001, server.tcpAddress()), 403)).isTrue();
        // A relay port another allocation may get later, and the wildcard in front of the live relay's port.
        InetSocketAddress otherRelayPort = unheldRelayPort();
        assertThat(isError(client.channelBind(0x4002, otherRelayPort), 403)).isTrue();
        assertThat(isError(client.channelBind(0x4003, new InetSocketAddress("0.0.0.0", relayed.getPort())), 403))
                .isTrue();
    }

    @Test
    void theAdminHttpPortIsNoPeer() throws Exception {
        try (TurnServer withAdmin = TestServers.loopback(clock).admin("127.0.0.1:0").build().start();
                BlockingClient c = BlockingClient.udp(withAdmin.udpAddress(), "alice", "alice-secret")) {
            relayed(c.allocate());
            assertThat(isError(c.createPermission(withAdmin.adminAddress()), 403)).isTrue();
            assertThat(isError(c.channelBind(0x4000, withAdmin.adminAddress()), 403)).isTrue();
        }
    }

    @Test
    void sendIndicationsToOwnSocketsAreDroppedAndCounted() throws Exception {
        try (Peer peer = new Peer()) {
            // A permission for 127.0.0.1 (the peer's address, also the server's).
            assertThat(client.createPermission(peer.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            byte[] data = "loop".getBytes(StandardCharsets.US_ASCII);

            client.sendIndication(server.udpAddress(), data);
            client.sendIndication(unheldRelayPort(), data);
            client.sendIndication(peer.address(), data);
            // Indications and requests on one socket are handled in order: the Binding answer is a barrier.
            client.exchange(StunMessage.request(Method.BINDING).build());

            assertThat(server.counters().selfRelayRefusedCount()).isEqualTo(2);
            assertThat(server.metrics().dropped()).containsEntry("own_socket", 2L);
            assertThat(peer.receive(2000).data()).isEqualTo(data);
        }
    }

    /** A port of the relay range on the relay address that no allocation holds. */
    private InetSocketAddress unheldRelayPort() {
        int port = relayed.getPort() == TestServers.RELAY_MAX ? TestServers.RELAY_MIN : TestServers.RELAY_MAX;
        return new InetSocketAddress(relayed.getAddress(), port);
    }
}
