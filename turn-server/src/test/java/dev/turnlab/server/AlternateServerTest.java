package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.isError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.AlternateServer;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.CapturedLog;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.Peer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ALTERNATE-SERVER from the server side (RFC 8489 §10, RFC 8656 §7.2): a full or draining server answers a
 * new Allocate with 300 Try Alternate, signed, naming its alternates in turn; everything else keeps working.
 */
class AlternateServerTest {

    private static final InetSocketAddress FIRST = new InetSocketAddress("192.0.2.5", 3478);
    private static final InetSocketAddress SECOND = new InetSocketAddress("192.0.2.6", 3479);

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private final MutableClock clock = MutableClock.now();

    @Test
    void aFullServerRedirectsSignedAndInTurn() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).totalQuota(1).alternateServer(FIRST)
                .alternateServer(SECOND).build().start();
                BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient bob = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret");
                BlockingClient bob2 = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret");
                BlockingClient bob3 = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret")) {
            assertThat(alice.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

            StunMessage redirected = bob.allocate();
            assertThat(isError(redirected, 300)).isTrue();
            assertThat(redirected.get(AlternateServer.class).address()).isEqualTo(FIRST);
            assertThat(redirected.verifyIntegrity(BlockingClient.key("bob", "turnlab", "bob-secret"))).isTrue();
            assertThat(bob2.allocate().get(AlternateServer.class).address()).isEqualTo(SECOND);
            assertThat(bob3.allocate().get(AlternateServer.class).address()).isEqualTo(FIRST);

            assertThat(server.metrics().drain().redirects()).containsEntry("full", 3L).containsEntry("draining", 0L);
        }
    }

    @Test
    void noRelayPortFreeIsFullToo() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).relayPorts(31996, 31996).alternateServer(FIRST)
                .build().start();
                BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient bob = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret")) {
            assertThat(alice.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(bob.allocate().get(AlternateServer.class).address()).isEqualTo(FIRST);
            assertThat(server.allocations()).hasSize(1);
        }
    }

    @Test
    void aUserOverItsQuotaIsStill486() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).userQuota(1).alternateServer(FIRST).build().start();
                BlockingClient first = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient second = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            first.allocate();
            assertThat(isError(second.allocate(), 486)).isTrue();
        }
    }

    @Test
    void drainingRedirectsNewAllocationsWhileExistingOnesKeepRelaying() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).alternateServer(FIRST).build().start();
                BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient bob = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret");
                Peer peer = new Peer()) {
            assertThat(alice.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

            assertThat(server.drain(true)).isTrue();
            assertThat(server.drain(true)).isFalse();
            assertThat(server.draining()).isTrue();

            StunMessage redirected = bob.allocate();
            assertThat(isError(redirected, 300)).isTrue();
            assertThat(redirected.get(AlternateServer.class).address()).isEqualTo(FIRST);
            assertThat(alice.refresh(600).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(alice.createPermission(peer.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(alice.channelBind(0x4000, peer.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            alice.sendChannelData(0x4000, "still relayed".getBytes(StandardCharsets.UTF_8));
            Peer.Received received = peer.receive(5000);
            assertThat(received).isNotNull();
            assertThat(new String(received.data(), StandardCharsets.UTF_8)).isEqualTo("still relayed");
            assertThat(server.metrics().drain().redirects()).containsEntry("draining", 1L);

            assertThat(server.drain(false)).isTrue();
            assertThat(bob.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(log.lines()).filteredOn(l -> l.startsWith("draining ")).containsExactly(
                    "draining started: new allocations are redirected to [/192.0.2.5:3478] (300 Try Alternate),"
                            + " existing ones live on",
                    "draining ended: new allocations are accepted again");
        }
    }

    @Test
    void drainingWithoutAlternatesIs508() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start();
                BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            server.drain(true);
            assertThat(isError(alice.allocate(), 508)).isTrue();
            assertThat(server.metrics().drain().draining()).isTrue();
        }
    }
}
