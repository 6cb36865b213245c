package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.isError;
import static dev.turnlab.server.support.BlockingClient.relayed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.XorPeerAddress;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two clients of one server reach each other through their relays (ICE's relay-relay pair): client A →
 * relay A → relay B → client B and back, by Send indication and by channel, over UDP and TCP client
 * transports, on loopback relays without {@code allowLoopbackPeers}, and on the advertised address when
 * relays bind elsewhere (a static NAT such as a dual-NIC Expressway-E).
 */
class RelayToRelayTest {

    private final MutableClock clock = MutableClock.now();

    @ParameterizedTest
    @ValueSource(strings = {"udp udp", "tcp tcp", "udp tcp"})
    void clientsReachEachOtherThroughTheirRelays(String transports) throws Exception {
        try (TurnServer server = TestServers.loopback(clock).allowLoopbackPeers(false).build().start()) {
            exchangeBothWays(server, transports);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp udp", "tcp tcp"})
    void clientsReachEachOtherOnTheAdvertisedAddress(String transports) throws Exception {
        // Relays bind to 127.0.0.1 and are advertised as 127.0.0.2: nothing listens on the advertised address.
        try (TurnServer server = TestServers.loopback(clock).allowLoopbackPeers(false).relayAddress("127.0.0.1")
                .externalAddress("127.0.0.2").build().start()) {
            exchangeBothWays(server, transports);
        }
    }

    private static void exchangeBothWays(TurnServer server, String transports) throws IOException {
        String[] t = transports.split(" ");
        try (BlockingClient a = client(t[0], server, "alice", "alice-secret");
                BlockingClient b = client(t[1], server, "bob", "bob-secret")) {
            InetSocketAddress relayA = relayed(a.allocate());
            InetSocketAddress relayB = relayed(b.allocate());
            assertThat(a.createPermission(relayB).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(b.createPermission(relayA).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

            a.sendIndication(relayB, bytes("a to b"));
            assertThat(dataIndication(b)).isEqualTo(new Received(relayA, bytes("a to b")));
            b.sendIndication(relayA, bytes("b to a"));
            assertThat(dataIndication(a)).isEqualTo(new Received(relayB, bytes("b to a")));

            assertThat(a.channelBind(0x4000, relayB).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(b.channelBind(0x4abc, relayA).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            a.sendChannelData(0x4000, bytes("a to b by channel"));
            assertThat(channelData(b, 0x4abc)).isEqualTo(bytes("a to b by channel"));
            b.sendChannelData(0x4abc, bytes("b to a by channel"));
            assertThat(channelData(a, 0x4000)).isEqualTo(bytes("b to a by channel"));

            // Two CreatePermissions and two ChannelBinds toward live relays of this server.
            assertThat(server.counters().relayToRelayPermissionCount()).isEqualTo(4);
            assertThat(server.metrics().relayToRelayPermissions()).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void aRelayThatIsGoneIsTheServerAgain(String transport) throws Exception {
        try (TurnServer server = TestServers.loopback(clock).allowLoopbackPeers(false).build().start();
                BlockingClient a = client(transport, server, "alice", "alice-secret")) {
            relayed(a.allocate());
            InetSocketAddress relayB;
            try (BlockingClient b = client(transport, server, "bob", "bob-secret")) {
                relayB = relayed(b.allocate());
                assertThat(a.createPermission(relayB).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
                assertThat(b.refresh(0).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            }
            // The port is released once the relay socket has closed; until then it may still count as held.
            long deadline = System.currentTimeMillis() + 10_000;
            while (server.metrics().relayPortsInUse() > 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.metrics().relayPortsInUse()).isEqualTo(1);

            assertThat(isError(a.channelBind(0x4000, relayB), 403)).isTrue();
            assertThat(isError(a.createPermission(relayB), 403)).isTrue();
            // The permission installed while B lived is for the address only: Send is judged per port.
            a.sendIndication(relayB, bytes("to nobody"));
            a.exchange(StunMessage.request(Method.BINDING).build());
            assertThat(server.counters().selfRelayRefusedCount()).isEqualTo(1);
        }
    }

    private static BlockingClient client(String transport, TurnServer server, String user, String password)
            throws IOException {
        return transport.equals("udp") ? BlockingClient.udp(server.udpAddress(), user, password)
                : BlockingClient.tcp(server.tcpAddress(), user, password);
    }

    private record Received(InetSocketAddress peer, String data) {
        Received(InetSocketAddress peer, byte[] data) {
            this(peer, new String(data, StandardCharsets.US_ASCII));
        }
    }

    private static Received dataIndication(BlockingClient client) throws IOException {
        byte[] frame = client.receiveRaw(5000);
        assertThat(frame).as("a Data indication").isNotNull();
        StunMessage data = BlockingClient.decode(frame);
        assertThat(data.method()).isEqualTo(Method.DATA);
        return new Received(data.get(XorPeerAddress.class).address(), data.get(Data.class).value());
    }

    private static byte[] channelData(BlockingClient client, int channel) throws IOException {
        byte[] frame = client.receiveRaw(5000);
        assertThat(frame).as("ChannelData").isNotNull();
        assertThat(((frame[0] & 0xFF) << 8) | (frame[1] & 0xFF)).isEqualTo(channel);
        int length = ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
        return Arrays.copyOfRange(frame, 4, 4 + length);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
