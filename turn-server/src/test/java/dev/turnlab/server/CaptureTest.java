package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.relayed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.capture.CaptureConfig;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.Peer;
import dev.turnlab.testing.tools.Tshark;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --capture}, as the Expressway-E's diagnostic logging takes a tcpdump: an allocation with a
 * permission, a Send indication, a Data indication, a channel and ChannelData both ways, over UDP, TCP
 * and TLS, with a UDP peer; the file as tshark decodes it.
 */
class CaptureTest {

    private final MutableClock clock = MutableClock.now();

    @TempDir
    Path dir;

    @Test
    void clientAndPeerTrafficOverEveryTransportDecodesInTshark() throws Exception {
        assumeTrue(Tshark.available(), Tshark.MISSING);
        Path file = dir.resolve("turn.pcap");
        int port;
        int tlsPort;
        InetSocketAddress peerAddress;
        try (TurnServer server = TestServers.loopback(clock).tlsPort(0).capture(CaptureConfig.of(file)).build().start();
                Peer peer = new Peer()) {
            port = server.udpAddress().getPort();
            tlsPort = server.tlsAddress().getPort();
            peerAddress = peer.address();
            try (BlockingClient udp = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
                relayBothWays(udp, peer, "udp");
            }
            try (BlockingClient tcp = BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret")) {
                relayBothWays(tcp, peer, "tcp");
            }
            try (BlockingClient tls = BlockingClient.tls(server.tlsAddress(), "alice", "alice-secret")) {
                assertThat(tls.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            }
        }
        List<Integer> stun = List.of(port, tlsPort);

        assertThat(Tshark.count(file, stun, "_ws.malformed || _ws.expert.severity >= error")).isZero();
        assertThat(Tshark.count(file, stun, "tcp.analysis.flags")).isZero();
        for (String transport : List.of("udp", "tcp.port == " + port, "tcp.port == " + tlsPort)) {
            // Allocate, 401 with the nonce, Allocate signed, success.
            assertThat(Tshark.count(file, stun, transport + " && stun.type == 0x0003")).as(transport).isEqualTo(2);
            assertThat(Tshark.count(file, stun, transport + " && stun.type == 0x0113")).as(transport).isEqualTo(1);
            assertThat(Tshark.count(file, stun, transport + " && stun.type == 0x0103")).as(transport).isEqualTo(1);
        }
        for (String transport : List.of("udp.port == " + port, "tcp.port == " + port)) {
            assertThat(Tshark.count(file, stun, transport + " && stun.type == 0x0016")).as(transport).isEqualTo(1);
            assertThat(Tshark.count(file, stun, transport + " && stun.type == 0x0017")).as(transport).isEqualTo(1);
            assertThat(Tshark.count(file, stun, transport + " && stun.channel == 0x4000")).as(transport).isEqualTo(2);
        }
        // Relay ↔ peer, per transport: the Send indication's data, the peer's answer (as a Data indication),
        // ChannelData's payload, the peer's answer (as ChannelData).
        List<String[]> peerSide = Tshark.fields(file, stun, "udp.port == " + peerAddress.getPort(), "udp.srcport",
                "udp.dstport", "data.data");
        assertThat(peerSide).hasSize(8);
        assertThat(peerSide).extracting(f -> text(f[2])).containsExactly("send udp", "to client udp", "channel udp",
                "to channel udp", "send tcp", "to client tcp", "channel tcp", "to channel tcp");
    }

    @Test
    void aSmallCapRotatesIntoSeveralCapturesThatEachDecode() throws Exception {
        assumeTrue(Tshark.available(), Tshark.MISSING);
        Path file = dir.resolve("rotating.pcap");
        CaptureConfig config = CaptureConfig.of(file).withFileSize(1024).withFiles(50);
        int port;
        try (TurnServer server = TestServers.loopback(clock).capture(config).build().start(); Peer peer = new Peer();
                BlockingClient udp = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            port = server.udpAddress().getPort();
            relayBothWays(udp, peer, "udp");
            for (int i = 0; i < 10; i++) {
                assertThat(udp.exchange(StunMessage.request(Method.BINDING).build()).stunClass())
                        .isEqualTo(StunClass.SUCCESS_RESPONSE);
            }
        }
        List<Path> parts = new ArrayList<>();
        for (int i = 0; Files.exists(config.part(i)); i++) {
            parts.add(config.part(i));
        }
        assertThat(parts).hasSizeGreaterThanOrEqualTo(3).hasSizeLessThan(50);
        int allocates = 0;
        int bindings = 0;
        for (Path part : parts) {
            assertThat(Files.size(part)).isLessThanOrEqualTo(1024);
            assertThat(Tshark.count(part, List.of(port), "_ws.malformed || _ws.expert.severity >= error")).isZero();
            allocates += Tshark.count(part, List.of(port), "stun.type == 0x0003");
            bindings += Tshark.count(part, List.of(port), "stun.type == 0x0101");
        }
        assertThat(allocates).isEqualTo(2);
        assertThat(bindings).isEqualTo(10);
    }

    @Test
    void withoutCaptureNoCaptureHandlerIsInAnyPipeline() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start()) {
            assertThat(server.config().capture()).isNull();
            assertThat(ServerCapture.open(null)).isSameAs(ServerCapture.OFF);
        }
    }

    /**
     * Allocate, permit the peer, a Send indication and the peer's answer as a Data indication, then a
     * channel and ChannelData both ways; every datagram is checked to arrive.
     */
    private static void relayBothWays(BlockingClient client, Peer peer, String tag) throws IOException {
        StunMessage allocated = client.allocate();
        assertThat(allocated.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        InetSocketAddress relay = relayed(allocated);
        assertThat(client.createPermission(peer.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

        client.sendIndication(peer.address(), bytes("send " + tag));
        assertThat(peer.receive(5000)).isNotNull();
        peer.send(relay, bytes("to client " + tag));
        assertThat(client.receiveRaw(5000)).isNotNull();

        assertThat(client.channelBind(0x4000, peer.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        client.sendChannelData(0x4000, bytes("channel " + tag));
        assertThat(peer.receive(5000)).isNotNull();
        peer.send(relay, bytes("to channel " + tag));
        assertThat(client.receiveRaw(5000)).isNotNull();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(String hex) {
        return new String(java.util.HexFormat.of().parseHex(hex), StandardCharsets.US_ASCII);
    }
}
