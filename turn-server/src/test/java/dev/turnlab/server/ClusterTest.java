package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.isError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.AlternateServer;
import dev.turnlab.server.admin.MetricsSnapshot;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.FreePorts;
import dev.turnlab.testing.tools.Peer;
import dev.turnlab.testing.tools.SharedRedis;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three of our nodes on loopback sharing one real redis-server: the per-user quota spans the nodes, a full or
 * draining node sends new allocations to the emptiest live node, the registry forgets a node that stopped,
 * and Redis going away and coming back costs no relayed data and needs no restart.
 */
class ClusterTest {

    private static final Duration HEARTBEAT = Duration.ofMillis(200);
    @RegisterExtension
    static final SharedRedis REDIS = SharedRedis.emptiedBeforeEachTest();

    private final List<Closeable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void aUserQuotaSpansTheNodes() throws Exception {
        TurnServer a = node("a", b -> b.userQuota(2));
        TurnServer b = node("b", x -> x.userQuota(2));
        TurnServer c = node("c", x -> x.userQuota(2));
        awaitNodes(c, 3);
        BlockingClient onA = client(a, "alice");
        assertThat(onA.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(client(b, "alice").allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(isError(client(c, "alice").allocate(), 486)).as("third allocation, on C").isTrue();
        assertThat(client(c, "bob").allocate().stunClass()).as("another user").isEqualTo(StunClass.SUCCESS_RESPONSE);

        // A deletion gives the quota back on every node.
        assertThat(onA.refresh(0).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(client(c, "alice").allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(metrics(c).cluster().quotaFallbacks()).isZero();
    }

    @Test
    void aFullNodeRedirectsToTheEmptiestLiveNodeAndADrainingOneIsPassedOver() throws Exception {
        TurnServer a = node("a", x -> x.totalQuota(1));
        TurnServer b = node("b", x -> { });
        TurnServer c = node("c", x -> { });
        assertThat(client(b, "bob").allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(client(b, "bob").allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(client(a, "alice").allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        await(a, "B's two allocations announced", m -> node(m, "b") != null && node(m, "b").allocations() == 2
                && node(m, "c") != null);

        BlockingClient redirected = client(a, "alice");
        StunMessage full = redirected.allocate();
        assertThat(isError(full, 300)).isTrue();
        assertThat(full.get(AlternateServer.class).address()).as("C, the emptiest").isEqualTo(c.udpAddress());
        assertThat(full.verifyIntegrity(BlockingClient.key("alice", "turnlab", "alice-secret"))).isTrue();

        c.drain(true);
        await(a, "C draining announced", m -> node(m, "c").draining());
        assertThat(client(a, "alice").allocate().get(AlternateServer.class).address()).isEqualTo(b.udpAddress());
        b.drain(true);
        await(a, "B draining announced", m -> node(m, "b").draining());
        assertThat(isError(client(a, "alice").allocate(), 508)).as("no live node takes allocations").isTrue();
        assertThat(metrics(a).cluster().redirects()).isEqualTo(2);
        assertThat(metrics(a).drain().redirects()).containsEntry("full", 2L);
    }

    @Test
    void aNodeThatStopsIsGoneAfterItsTimeToLiveAndOneThatClosesAtOnce() throws Exception {
        TurnServer a = node("a", x -> x.totalQuota(1));
        TurnServer b = node("b", x -> { });
        assertThat(client(a, "alice").allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        // A node that stops without a word, as a killed process does: its last announcement, written as a node
        // writes it, empty so the emptiest, living 1.5 s.
        InetSocketAddress ghostAddress = new InetSocketAddress("127.0.0.1", 9);
        long now = System.currentTimeMillis();
        REDIS.server().cli("HSET", "turnlab/node/ghost", "instance", "0", "address", "127.0.0.1:9", "freePorts", "1000",
                "ports", "1000", "allocations", "0", "quota", "0", "draining", "0", "updated", Long.toString(now),
                "expires", Long.toString(now + 1500));
        REDIS.server().cli("PEXPIREAT", "turnlab/node/ghost", Long.toString(now + 1500)); // as its expires field says
        REDIS.server().cli("ZADD", "turnlab/nodes", Long.toString(now + 1500), "ghost");
        await(a, "the ghost seen", m -> node(m, "ghost") != null);
        assertThat(client(a, "alice").allocate().get(AlternateServer.class).address()).isIn(ghostAddress,
                b.udpAddress());

        await(a, "the ghost gone", m -> node(m, "ghost") == null && node(m, "b") != null);
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(now + 1500);
        assertThat(client(a, "alice").allocate().get(AlternateServer.class).address()).isEqualTo(b.udpAddress());
        assertThat(REDIS.server().cli("EXISTS", "turnlab/node/ghost")).isEqualTo("0");

        long closing = System.nanoTime();
        b.close();
        assertThat(REDIS.server().cli("EXISTS", "turnlab/node/b")).as("removed by its close").isEqualTo("0");
        await(a, "B gone", m -> node(m, "b") == null);
        assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("well before its 10 s time to live")
                .isLessThan(Duration.ofSeconds(8));
        assertThat(isError(client(a, "alice").allocate(), 508)).isTrue();
    }

    @Test
    void redisStoppedAndStartedAgainMidTest() throws Exception {
        TurnServer a = node("a", x -> x.userQuota(2));
        TurnServer b = node("b", x -> x.userQuota(2));
        awaitNodes(a, 2);
        awaitNodes(b, 2);
        BlockingClient relaying = client(a, "alice");
        Peer peer = new Peer();
        open.add(peer);
        assertThat(relaying.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(relaying.channelBind(0x4000, peer.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

        REDIS.server().stop();
        await(b, "Redis down", m -> !m.cluster().redisUp());
        assertRelays(relaying, peer, "relayed while Redis is down");
        // The user quota falls back to this node's count: B holds two of alice's, which the cluster would refuse.
        long asked = System.nanoTime();
        assertThat(client(b, "alice").allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("no wait on Redis").isLessThan(Duration.ofSeconds(3));
        assertThat(client(b, "alice").allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(isError(client(b, "alice").allocate(), 486)).as("over the local quota").isTrue();
        assertThat(metrics(b).cluster().quotaFallbacks()).isEqualTo(3);

        REDIS.server().start();
        await(a, "Redis up and both nodes back", m -> m.cluster().redisUp() && m.cluster().nodes().size() == 2);
        await(b, "Redis up and both nodes back", m -> m.cluster().redisUp() && m.cluster().nodes().size() == 2);
        assertRelays(relaying, peer, "relayed after Redis came back");
        awaitUserCount("alice", 3);
        assertThat(isError(client(a, "alice").allocate(), 486)).as("counted over the cluster again").isTrue();
        assertThat(metrics(a).cluster().quotaFallbacks()).isZero();
    }

    private static void assertRelays(BlockingClient client, Peer peer, String what) throws IOException {
        client.sendChannelData(0x4000, what.getBytes(StandardCharsets.UTF_8));
        Peer.Received received = peer.receive(5000);
        assertThat(received).as(what).isNotNull();
        assertThat(new String(received.data(), StandardCharsets.UTF_8)).isEqualTo(what);
    }

    /** A node named {@code name} of the cluster on {@code redis}: loopback, its own relay block, two users. */
    private TurnServer node(String name, Consumer<TurnServerBuilder> settings) throws IOException {
        FreePorts.Block ports = FreePorts.udpBlock(100);
        TurnServerBuilder b = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(ports.min(), ports.max())
                .user("alice", "alice-secret").user("bob", "bob-secret").allowLoopbackPeers(true).ioThreads(1)
                .cluster(ClusterConfig.of(REDIS.server().uri()).withHeartbeat(HEARTBEAT, Duration.ofSeconds(10)).withNode(name, null));
        settings.accept(b);
        TurnServer server = b.build().start();
        open.add(server::close);
        return server;
    }

    private BlockingClient client(TurnServer server, String user) throws IOException {
        BlockingClient c = BlockingClient.udp(server.udpAddress(), user, user + "-secret");
        open.add(c);
        return c;
    }

    private static MetricsSnapshot metrics(TurnServer server) {
        return server.metrics();
    }

    private static MetricsSnapshot.ClusterNode node(MetricsSnapshot m, String name) {
        return m.cluster().nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElse(null);
    }

    private static void awaitNodes(TurnServer server, int n) throws InterruptedException {
        await(server, n + " nodes", m -> m.cluster().nodes().size() == n);
    }

    /** Waits up to 30 s until {@code server}'s metrics satisfy {@code condition}. */
    private static void await(TurnServer server, String what, Predicate<MetricsSnapshot> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        MetricsSnapshot m = server.metrics();
        while (!condition.test(m) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            m = server.metrics();
        }
        assertThat(condition.test(m)).as(what + "; cluster: " + m.cluster()).isTrue();
    }

    /** Waits until the counts of {@code user} in Redis, over every node's field, add up to {@code total}. */
    private static void awaitUserCount(String user, int total) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int sum = -1;
        while (System.nanoTime() < deadline) {
            String values = REDIS.server().cli("HVALS", "turnlab/realm/turnlab/user/" + user + "/allocations");
            sum = values.isBlank() ? 0 : Arrays.stream(values.split("\\s+")).mapToInt(Integer::parseInt).sum();
            if (sum == total) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(sum).as(user + "'s allocations in Redis").isEqualTo(total);
    }
}
