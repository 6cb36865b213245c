package dev.turnlab.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.server.ClusterConfig;
import dev.turnlab.testing.tools.RedisServer;
import dev.turnlab.testing.tools.SharedRedis;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The link to a real redis-server: it connects in the background, never blocks, and comes back by itself. */
class RedisLinkTest {

    @RegisterExtension
    static final SharedRedis REDIS = SharedRedis.keptBetweenTests();
    @Test
    void aCommandRunsAndAFailedCommandFailsAtOnceWhileRedisIsDownThenTheLinkComesBack() throws Exception {
        try (RedisLink link = RedisLink.start(ClusterConfig.of(REDIS.server().uri()), REDIS.scheduler())) {
            awaitUp(link, true);
            assertThat(link.call(c -> c.set("turnlab/test", "1")).get(5, TimeUnit.SECONDS)).isEqualTo("OK");
            assertThat(REDIS.server().cli("GET", "turnlab/test")).isEqualTo("1");

            REDIS.server().stop();
            awaitUp(link, false);
            long start = System.nanoTime();
            assertThatThrownBy(() -> link.call(c -> c.get("turnlab/test")).get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
            // Refused without waiting: well inside the command timeout, let alone the 5 s above.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(link.failures()).isPositive();

            REDIS.server().start();
            awaitUp(link, true);
            assertThat(link.call(c -> c.get("turnlab/test")).get(5, TimeUnit.SECONDS)).isEqualTo("1");
        }
    }

    @Test
    void aRedisThatIsNotThereAtStartIsJoinedWhenItComes() throws Exception {
        RedisServer late = RedisServer.launch();
        late.stop();
        try (RedisLink link = RedisLink.start(ClusterConfig.of(late.uri()), REDIS.scheduler())) {
            assertThat(link.isUp()).isFalse();
            assertThatThrownBy(() -> link.call(c -> c.ping()).get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(RedisLink.RedisUnavailableException.class);
            late.start();
            awaitUp(link, true);
            assertThat(link.call(c -> c.ping()).get(5, TimeUnit.SECONDS)).isEqualTo("PONG");
        } finally {
            late.close();
        }
    }

    private static void awaitUp(RedisLink link, boolean up) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (link.isUp() != up && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(link.isUp()).as("link up").isEqualTo(up);
    }
}
