package dev.turnlab.server;

import static dev.turnlab.server.allocation.FiveTuple.format;
import static dev.turnlab.server.support.BlockingClient.relayed;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.testing.tools.CapturedLog;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A peer the policy refuses (RFC 8656 §9.2): the client gets a bare 403 Forbidden, the operator a log line
 * with the peer and the rule that refused it.
 */
class RefusalLogTest {

    private final MutableClock clock = MutableClock.now();
    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @Test
    void a403NamesThePeerAndTheRuleWhileTheAnswerStaysForbidden() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).denyPeer("203.0.113.0/24").build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            relayed(client.allocate());

            StunMessage privatePeer = client.createPermission(new InetSocketAddress("10.1.2.3", 5000));
            StunMessage deniedPeer = client.channelBind(0x4000, new InetSocketAddress("203.0.113.9", 6000));
            StunMessage listener = client.channelBind(0x4001, server.udpAddress());

            for (StunMessage refused : List.of(privatePeer, deniedPeer, listener)) {
                assertThat(refused.get(ErrorCode.class)).isEqualTo(new ErrorCode(403, "Forbidden"));
            }
            String source = "source=\"udp " + format(client.localAddress()) + "->" + format(server.udpAddress()) + "\"";
            String id = allocationId();
            assertThat(log.lines()).contains(
                    "TURN request refused id=" + id + " method=CreatePermission user=alice " + source + " error=403"
                            + " reason=Forbidden peer=10.1.2.3:5000 rule=\"special-purpose 10.0.0.0/8 (private, RFC 1918)\"",
                    "TURN request refused id=" + id + " method=ChannelBind user=alice " + source + " error=403"
                            + " reason=Forbidden peer=203.0.113.9:6000 rule=\"--deny-peer 203.0.113.0/24\"",
                    "TURN request refused id=" + id + " method=ChannelBind user=alice " + source + " error=403"
                            + " reason=Forbidden peer=" + format(server.udpAddress())
                            + " rule=\"the server's own listener " + format(server.udpAddress()) + "\"");
        }
    }

    @Test
    void aPeerOnTheExternalAddressIsNamedAsTheClientNamedItAndAsItIsReached() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).relayAddress("127.0.0.1").externalAddress("198.51.100.7")
                        .build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            int held = relayed(client.allocate()).getPort();
            int unheld = held == TestServers.RELAY_MAX ? held - 1 : held + 1;

            StunMessage refused = client.createPermission(new InetSocketAddress("198.51.100.7", unheld));

            assertThat(refused.get(ErrorCode.class)).isEqualTo(new ErrorCode(403, "Forbidden"));
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("TURN request refused ").endsWith(
                    " peer=198.51.100.7:" + unheld + " reached_as=127.0.0.1:" + unheld
                            + " rule=\"relay port not held by a live allocation\""));
        }
    }

    @Test
    void aRefusedSendIndicationIsLoggedAtDebugWithThePeerAndTheRule() throws Exception {
        Logger allocations = (Logger) LoggerFactory.getLogger("dev.turnlab.server.allocation");
        Level before = allocations.getLevel();
        allocations.setLevel(Level.DEBUG);
        try (TurnServer server = TestServers.loopback(clock).allowLoopbackPeers(false).build().start();
                BlockingClient a = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            relayed(a.allocate());
            InetSocketAddress relayB;
            try (BlockingClient b = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret")) {
                relayB = relayed(b.allocate());
                assertThat(a.createPermission(relayB).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
                assertThat(b.refresh(0).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            }
            // B's port is released once its relay socket has closed; until then it may still count as held.
            long deadline = System.currentTimeMillis() + 10_000;
            while (server.metrics().relayPortsInUse() > 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            a.sendIndication(relayB, "to nobody".getBytes(StandardCharsets.US_ASCII));
            a.exchange(StunMessage.request(Method.BINDING).build()); // answered after the indication was handled

            assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("TURN Send indication dropped ")
                    .contains("user=alice ", "peer=" + format(relayB),
                            "rule=\"relay port not held by a live allocation\""));
        } finally {
            allocations.setLevel(before);
        }
    }

    /** The id on the one "allocation created" line so far. */
    private String allocationId() {
        return log.lines().stream().filter(l -> l.startsWith("TURN allocation created id=")).findFirst().orElseThrow()
                .substring("TURN allocation created id=".length()).split(" ")[0];
    }
}
