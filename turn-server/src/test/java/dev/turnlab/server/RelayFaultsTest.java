package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.relayed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.StunClass;
import dev.turnlab.server.fault.Fault;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.Peer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The faults that act on relayed data and on the relayed address, over real sockets on loopback: one
 * allocation with a channel bound to a peer, data sent both ways with each fault on and again once it
 * is off.
 */
class RelayFaultsTest {

    private static final int SILENCE_MILLIS = 400;
    private static final int ANSWER_MILLIS = 5000;
    private static final int CHANNEL = 0x4001;

    private final MutableClock clock = MutableClock.now();
    private TurnServer server;
    private BlockingClient client;
    private Peer peer;
    private InetSocketAddress relay;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.loopback(clock).build().start();
        client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
        peer = new Peer();
        relay = relayed(client.allocate());
        assertThat(client.channelBind(CHANNEL, peer.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        peer.close();
        server.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What the client received as ChannelData on {@link #CHANNEL}, or null. */
    private static byte[] payload(byte[] frame) {
        return frame == null ? null : Arrays.copyOfRange(frame, 4, frame.length);
    }

    private boolean reachesPeer(String text, int waitMillis) throws Exception {
        client.sendChannelData(CHANNEL, bytes(text));
        Peer.Received r = peer.receive(waitMillis);
        return r != null && Arrays.equals(r.data(), bytes(text));
    }

    private boolean reachesClient(String text, int waitMillis) throws Exception {
        peer.send(relay, bytes(text));
        return Arrays.equals(payload(client.receiveRaw(waitMillis)), bytes(text));
    }

    @Test
    void blockRelayBothDropsEveryDatagramBothWaysUntilOff() throws Exception {
        server.faults().switchOn("block-relay=both", "test");
        assertThat(reachesPeer("to peer", SILENCE_MILLIS)).isFalse();
        assertThat(reachesClient("to client", SILENCE_MILLIS)).isFalse();
        assertThat(server.faults().report().dropped().get("block_relay")).isEqualTo(2);

        server.faults().switchOff(Fault.BLOCK_RELAY, "test");
        assertThat(reachesPeer("to peer again", ANSWER_MILLIS)).isTrue();
        assertThat(reachesClient("to client again", ANSWER_MILLIS)).isTrue();
    }

    @Test
    void blockRelayInDropsWhatPeersSendOnly() throws Exception {
        server.faults().switchOn("block-relay=in", "test");
        assertThat(reachesClient("from peer", SILENCE_MILLIS)).isFalse();
        assertThat(reachesPeer("to peer", ANSWER_MILLIS)).isTrue();
    }

    @Test
    void blockRelayOutDropsWhatClientsSendTowardPeersOnlyIndicationsAndTcpIncluded() throws Exception {
        server.faults().switchOn("block-relay=out", "test");
        assertThat(reachesPeer("channel data", SILENCE_MILLIS)).isFalse();
        client.sendIndication(peer.address(), bytes("indication"));
        assertThat(peer.receive(SILENCE_MILLIS)).isNull();
        try (BlockingClient tcp = BlockingClient.tcp(server.tcpAddress(), "bob", "bob-secret")) {
            tcp.allocate();
            tcp.channelBind(CHANNEL, peer.address());
            tcp.sendChannelData(CHANNEL, bytes("over tcp"));
            assertThat(peer.receive(SILENCE_MILLIS)).isNull();
        }
        assertThat(reachesClient("from peer", ANSWER_MILLIS)).isTrue();
    }

    @Test
    void lossOfAHundredPercentRelaysNothingAndOffRelaysAgain() throws Exception {
        server.faults().switchOn("loss=100", "test");
        assertThat(reachesPeer("lost", SILENCE_MILLIS)).isFalse();
        assertThat(reachesClient("lost too", SILENCE_MILLIS)).isFalse();
        assertThat(server.faults().report().dropped().get("loss")).isEqualTo(2);

        server.faults().switchOff(Fault.LOSS, "test");
        assertThat(reachesPeer("found", ANSWER_MILLIS)).isTrue();
        assertThat(reachesClient("found too", ANSWER_MILLIS)).isTrue();
    }

    @Test
    void delayHoldsEveryDatagramAtLeastThatLongBothWaysAndFreesWhatItHeld() throws Exception {
        server.faults().switchOn("delay=300", "test");
        long t0 = System.nanoTime();
        assertThat(reachesPeer("late", ANSWER_MILLIS)).isTrue();
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(300);

        long t1 = System.nanoTime();
        assertThat(reachesClient("late too", ANSWER_MILLIS)).isTrue();
        assertThat((System.nanoTime() - t1) / 1_000_000).isGreaterThanOrEqualTo(300);

        long t2 = System.nanoTime();
        client.sendIndication(peer.address(), bytes("late indication"));
        assertThat(peer.receive(ANSWER_MILLIS).data()).isEqualTo(bytes("late indication"));
        assertThat((System.nanoTime() - t2) / 1_000_000).isGreaterThanOrEqualTo(300);
        assertThat(server.faults().delayedBytes()).isZero();

        server.faults().switchOff(Fault.DELAY, "test");
        assertThat(reachesPeer("on time", ANSWER_MILLIS)).isTrue();
    }

    @Test
    void delayWithJitterHoldsEachDatagramAtLeastTheDelayLessTheJitter() throws Exception {
        server.faults().switchOn("delay=300~100", "test");
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            assertThat(reachesPeer("jittered " + i, ANSWER_MILLIS)).isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(200);
        }
    }

    @Test
    void advertiseReplacesTheRelayedAddressInNewAllocationsOnly() throws Exception {
        server.faults().switchOn("advertise=203.0.113.7", "test");
        try (BlockingClient other = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret")) {
            InetSocketAddress advertised = relayed(other.allocate());
            assertThat(advertised.getAddress()).isEqualTo(InetAddress.getByName("203.0.113.7"));
            assertThat(advertised.getPort()).isBetween(TestServers.RELAY_MIN, TestServers.RELAY_MAX);
        }
        // The allocation made before keeps working: only what the response says is wrong.
        assertThat(reachesClient("still here", ANSWER_MILLIS)).isTrue();

        server.faults().switchOff(Fault.ADVERTISE, "test");
        try (BlockingClient third = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret")) {
            assertThat(relayed(third.allocate()).getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        }
    }
}
