package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.isError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.auth.LongTermCredentials;
import dev.turnlab.server.auth.SharedSecretCredentials;
import dev.turnlab.server.support.BlockingClient;
import ch.qos.logback.classic.Level;
import dev.turnlab.testing.tools.CapturedLog;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.SharedRedis;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Users, shared secrets and peer rules from a real redis-server in coturn's layout ({@code schema.userdb.redis}):
 * written by coturn's own turnadmin or by redis-cli, seen by every node sharing the Redis within the cache's time
 * to live, and what happens while Redis is down (a cached user logs in, an unknown one gets 500, counted).
 */
class ClusterUsersTest {

    private static final String REALM = "turnlab";
    @RegisterExtension
    static final SharedRedis REDIS = SharedRedis.emptiedBeforeEachTest();

    @RegisterExtension
    final CapturedLog log = new CapturedLog("dev.turnlab.server.cluster");

    private final MutableClock clock = MutableClock.now();
    private final List<TurnServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(TurnServer::close);
    }

    @Test
    void aUserWrittenByCoturnsTurnadminLogsIn() throws Exception {
        Process turnadmin = new ProcessBuilder("turnadmin", "-a", "-N", "ip=127.0.0.1 port=" + REDIS.server().port() + " dbname=0",
                "-u", "carol", "-r", REALM, "-p", "carol-pw").redirectErrorStream(true).start();
        assumeTrue(turnadmin.waitFor(30, TimeUnit.SECONDS) && turnadmin.exitValue() == 0, "coturn's turnadmin did not run");
        assertThat(REDIS.server().cli("GET", "turn/realm/" + REALM + "/user/carol/key")).isEqualTo(md5Key("carol", "carol-pw"));
        TurnServer server = server(ClusterConfig.of(REDIS.server().uri()));

        assertThat(allocate(server, "carol", "carol-pw").stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(isError(allocate(server, "carol", "wrong"), 401)).isTrue();
    }

    @Test
    void aUserAddedWithRedisCliLogsInOnEachOfThreeNodes() throws Exception {
        List<TurnServer> nodes = List.of(server(ClusterConfig.of(REDIS.server().uri())), server(ClusterConfig.of(REDIS.server().uri())),
                server(ClusterConfig.of(REDIS.server().uri())));
        REDIS.server().cli("SET", "turn/realm/" + REALM + "/user/dave/key", md5Key("dave", "dave-pw"));

        for (TurnServer node : nodes) {
            // A node that is still connecting to Redis answers 500 (try again), never 401.
            await(() -> {
                StunMessage answer = allocate(node, "dave", "dave-pw");
                assertThat(answer.stunClass() == StunClass.SUCCESS_RESPONSE || isError(answer, 500)).isTrue();
                return answer.stunClass() == StunClass.SUCCESS_RESPONSE;
            });
        }
        // Local users come first and need no Redis.
        assertThat(allocate(nodes.get(0), "alice", "alice-secret").stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    @Test
    void aDeletedOrChangedUserIsSeenWithinTheTimeToLiveWithoutARestart() throws Exception {
        TurnServer server = server(ClusterConfig.of(REDIS.server().uri()));
        String key = "turn/realm/" + REALM + "/user/erin/key";
        REDIS.server().cli("SET", key, md5Key("erin", "old-pw"));
        assertThat(allocate(server, "erin", "old-pw").stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

        REDIS.server().cli("SET", key, md5Key("erin", "new-pw"));
        // Within the time to live the cached key still holds; past it, the new one.
        assertThat(allocate(server, "erin", "old-pw").stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        clock.advance(ClusterConfig.DEFAULT_USER_CACHE_TTL.plusSeconds(1));
        assertThat(isError(allocate(server, "erin", "old-pw"), 401)).isTrue();
        assertThat(allocate(server, "erin", "new-pw").stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

        REDIS.server().cli("DEL", key);
        clock.advance(ClusterConfig.DEFAULT_USER_CACHE_TTL.plusSeconds(1));
        assertThat(isError(allocate(server, "erin", "new-pw"), 401)).isTrue();
    }

    @Test
    void anySecretOfTheSetSignsARestUsernameAndARemovedOneStopsWorking() throws Exception {
        TurnServer server = server(ClusterConfig.of(REDIS.server().uri()));
        String secrets = "turn/realm/" + REALM + "/secret";
        REDIS.server().cli("SADD", secrets, "logen", "bloody9");
        String user = (clock.millis() / 1000 + 3600) + ":frank";

        for (String secret : List.of("logen", "bloody9")) {
            String password = new SharedSecretCredentials(secret).passwordFor(user);
            assertThat(allocate(server, user, password).stunClass()).as(secret).isEqualTo(StunClass.SUCCESS_RESPONSE);
        }
        assertThat(isError(allocate(server, user, new SharedSecretCredentials("other").passwordFor(user)), 401)).isTrue();

        REDIS.server().cli("SREM", secrets, "logen");
        clock.advance(ClusterConfig.DEFAULT_USER_CACHE_TTL.plusSeconds(1));
        String next = (clock.millis() / 1000 + 3600) + ":frank";
        assertThat(isError(allocate(server, next, new SharedSecretCredentials("logen").passwordFor(next)), 401)).isTrue();
        assertThat(allocate(server, next, new SharedSecretCredentials("bloody9").passwordFor(next)).stunClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    @Test
    void aDeniedPeerIpInRedisGets403() throws Exception {
        // Ranges as coturn writes them; 127.0.0.1 is allowed locally (allowLoopbackPeers) and denied in Redis.
        REDIS.server().cli("SADD", "turn/realm/" + REALM + "/denied-peer-ip", "127.0.0.0-127.0.0.255", "123::45");
        TurnServer server = server(new ClusterConfig(ClusterConfig.parseRedis(REDIS.server().uri()), Duration.ofMillis(250),
                Duration.ofMillis(200), ClusterConfig.DEFAULT_STALE_CREDENTIALS, ClusterConfig.DEFAULT_HEARTBEAT_INTERVAL,
                ClusterConfig.DEFAULT_NODE_TTL, null));
        try (BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            assertThat(client.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 40000);
            await(() -> isError(createPermission(client, peer), 403));
            assertThat(client.createPermission(new InetSocketAddress("8.8.8.8", 53)).stunClass())
                    .isEqualTo(StunClass.SUCCESS_RESPONSE);

            // Refreshed periodically: removed from Redis, the peer is allowed again.
            REDIS.server().cli("DEL", "turn/realm/" + REALM + "/denied-peer-ip");
            await(() -> createPermission(client, peer).stunClass() == StunClass.SUCCESS_RESPONSE);
        }
    }

    @Test
    void whileRedisIsDownACachedUserLogsInAnUnknownOneGets500CountedAndRedisBackWorksAgain() throws Exception {
        REDIS.server().cli("SET", "turn/realm/" + REALM + "/user/gina/key", md5Key("gina", "gina-pw"));
        REDIS.server().cli("SET", "turn/realm/" + REALM + "/user/hank/key", md5Key("hank", "hank-pw"));
        TurnServer server = server(ClusterConfig.of(REDIS.server().uri()));
        assertThat(allocate(server, "gina", "gina-pw").stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

        REDIS.server().stop();
        clock.advance(ClusterConfig.DEFAULT_USER_CACHE_TTL.plusSeconds(1)); // past the time to live, within the stale time
        assertThat(allocate(server, "gina", "gina-pw").stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        long warned = refusalWarnings(); // the node may have said so while it was joining
        long start = System.nanoTime();
        StunMessage refused = allocate(server, "hank", "hank-pw");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(isError(refused, 500)).as("500 Server Error, not 401: the password may be right").isTrue();
        assertThat(isError(allocate(server, "ivan", "ivan-pw"), 500)).isTrue();
        assertThat(isError(allocate(server, "judy", "judy-pw"), 500)).isTrue();
        // One WARN line for the three, however many more come within its interval.
        assertThat(refusalWarnings()).isEqualTo(warned + 1);
        assertThat(log.linesAtLeast(Level.WARN)).last().asString().startsWith("Logins refused with 500 (the client retries): ")
                .contains("cannot check them");
        // The client's whole exchange (challenge, then the refused request) took well under a second.
        assertThat(took).isLessThan(Duration.ofSeconds(2));
        ClusterCounters counters = server.counters().cluster();
        assertThat(counters.staleLogins()).isPositive();
        assertThat(counters.refusedFor(ClusterCounters.Refusal.REDIS_UNAVAILABLE)).isPositive();
        // Past the stale time, the cached user cannot be checked either.
        clock.advance(ClusterConfig.DEFAULT_STALE_CREDENTIALS);
        assertThat(isError(allocate(server, "gina", "gina-pw"), 500)).isTrue();

        REDIS.server().start();
        await(() -> allocate(server, "hank", "hank-pw").stunClass() == StunClass.SUCCESS_RESPONSE);
        assertThat(allocate(server, "gina", "gina-pw").stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    /** A node of the cluster, once it has joined Redis (it connects in the background, answering 500 till then). */
    private long refusalWarnings() {
        return log.linesAtLeast(Level.WARN).stream().filter(l -> l.startsWith("Logins refused with 500")).count();
    }

    private TurnServer server(ClusterConfig cluster) throws Exception {
        TurnServer server = TestServers.loopback(clock).cluster(cluster).build().start();
        servers.add(server);
        String probe = "turn/realm/" + REALM + "/user/probe/key";
        REDIS.server().cli("SET", probe, md5Key("probe", "probe-pw"));
        await(() -> allocate(server, "probe", "probe-pw").stunClass() == StunClass.SUCCESS_RESPONSE);
        REDIS.server().cli("DEL", probe);
        return server;
    }

    /** One Allocate on a fresh client (challenge, then the signed request); the answer. */
    private static StunMessage allocate(TurnServer server, String user, String password) {
        try (BlockingClient client = BlockingClient.udp(server.udpAddress(), user, password)) {
            return client.allocate();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static StunMessage createPermission(BlockingClient client, InetSocketAddress peer) {
        try {
            return client.createPermission(peer);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The hex MD5 long-term key coturn stores: MD5(user:realm:password) (RFC 8489 §9.2.2). */
    static String md5Key(String user, String password) {
        return HexFormat.of().formatHex(LongTermCredentials.key(user, REALM, password));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
