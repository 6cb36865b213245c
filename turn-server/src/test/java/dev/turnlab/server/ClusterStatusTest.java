package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.StunClass;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.SharedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Allocation status and traffic in a real redis-server as coturn's {@code schema.stats.redis} describes them,
 * seen by a subscriber as coturn's monitoring subscribes: {@code psubscribe turn/realm/*\/user/*\/allocation/*}.
 */
class ClusterStatusTest {

    @RegisterExtension
    static final SharedRedis REDIS = SharedRedis.keptBetweenTests();

    private final MutableClock clock = MutableClock.now();

    /** A channel and its message. */
    private record Event(String channel, String message) {
    }

    @Test
    void aSubscriberSeesNewRefreshedTrafficAndDeletedAndTheStatusKeyLivesAsLongAsTheAllocation() throws Exception {
        RedisClient subscriber = RedisClient.create(REDIS.server().uri());
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        try (StatefulRedisPubSubConnection<String, String> pubsub = subscriber.connectPubSub();
                TurnServer server = TestServers.loopback(clock).cluster(ClusterConfig.of(REDIS.server().uri())).build().start();
                DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            pubsub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String pattern, String channel, String message) {
                    events.add(new Event(channel, message));
                }
            });
            pubsub.sync().psubscribe("turn/realm/*/user/*/allocation/*");
            BlockingClient client = awaitJoined(server);

            Event created = next(events, "/status");
            assertThat(created.channel()).matches("turn/realm/turnlab/user/alice/allocation/[0-9a-f]{12}/status");
            assertThat(created.message()).isEqualTo("new lifetime=600");
            String id = created.channel().split("/")[6];
            // The key is the status channel's name, as coturn writes it for a realm.
            String statusKey = created.channel();
            assertThat(REDIS.server().cli("GET", statusKey)).isEqualTo("new lifetime=600");
            assertThat(Long.parseLong(REDIS.server().cli("TTL", statusKey))).isBetween(1L, 600L);

            assertThat(client.refresh(1200).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(next(events, "/status").message()).isEqualTo("refreshed lifetime=1200");
            assertThat(REDIS.server().cli("GET", statusKey)).isEqualTo("refreshed lifetime=1200");
            assertThat(Long.parseLong(REDIS.server().cli("TTL", statusKey))).isBetween(601L, 1200L);

            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort());
            assertThat(client.createPermission(to).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            client.sendIndication(to, "hello".getBytes(StandardCharsets.US_ASCII));
            peer.setSoTimeout(5000);
            peer.receive(new java.net.DatagramPacket(new byte[64], 64));
            clock.advance(Duration.ofSeconds(11)); // past the traffic interval: the next sweep reports it
            assertThat(next(events, "/traffic").message()).isEqualTo("rcvp=1, rcvb=5, sentp=0, sentb=0");

            assertThat(client.refresh(0).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(next(events, "/status").message()).isEqualTo("deleted");
            assertThat(next(events, "/total_traffic").message()).isEqualTo("rcvp=1, rcvb=5, sentp=0, sentb=0");
            assertThat(REDIS.server().cli("EXISTS", statusKey)).isEqualTo("0");
            assertThat(server.counters().cluster().eventsPublished()).isPositive();
            assertThat(server.counters().cluster().eventsFailed()).isZero();
            client.close();
        } finally {
            subscriber.shutdown();
        }
    }

    /** A client with an allocation, once the node's link to Redis is up (its first status event is then sent). */
    private BlockingClient awaitJoined(TurnServer server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.counters().cluster().eventsPublished() == 0) {
            BlockingClient probe = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret");
            assertThat(probe.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            probe.refresh(0);
            probe.close();
            assertThat(System.nanoTime()).as("joined Redis within 30 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
        assertThat(client.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        return client;
    }

    /** The next event of alice's whose channel ends with {@code suffix}, within 30 s; bob's probes are skipped. */
    private static Event next(BlockingQueue<Event> events, String suffix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Event e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(e).as("an event on *" + suffix).isNotNull();
            if (e.channel().contains("/user/alice/") && e.channel().endsWith(suffix)) {
                return e;
            }
        }
    }
}
