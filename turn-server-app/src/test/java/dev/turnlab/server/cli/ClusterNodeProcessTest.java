package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnlab.testing.tools.RedisServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * turn-server.jar's nodes in processes of their own on one real redis-server: a node killed (SIGKILL, no word
 * to Redis) leaves the registry when its announcement expires; one stopped with SIGTERM leaves it at once.
 */
class ClusterNodeProcessTest {

    @Test
    void aKilledNodeExpiresAndAStoppedOneLeavesAtOnce() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer.MISSING);
        try (RedisServer redis = RedisServer.launch();
                ServerProcess a = ServerProcess.start("--user", "alice:secret", "--no-tls", "--no-dtls",
                        "--redis", redis.uri(), "--node-name", "a");
                ServerProcess b = ServerProcess.start("--user", "alice:secret", "--no-tls", "--no-dtls",
                        "--redis", redis.uri(), "--node-name", "b")) {
            a.awaitOutput("cluster node a announces");
            b.awaitOutput("cluster node b announces");
            awaitExists(redis, "turnlab/node/a", true);
            awaitExists(redis, "turnlab/node/b", true);

            long killed = System.nanoTime();
            b.signal("KILL");
            assertThat(b.exited()).isTrue();
            awaitExists(redis, "turnlab/node/b", false);
            // Gone by its time to live, 6 s after its last heartbeat (at most 2 s before the kill): not before.
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed)).isGreaterThanOrEqualTo(3_500);
            assertThat(redis.cli("ZSCORE", "turnlab/nodes", "a")).isNotEmpty();

            a.signal("TERM");
            assertThat(a.exited()).isTrue();
            // Its entry would live 4-6 s more; it removed it on the way out.
            assertThat(redis.cli("EXISTS", "turnlab/node/a")).isEqualTo("0");
            assertThat(redis.cli("ZSCORE", "turnlab/nodes", "a")).isEmpty();
        }
    }

    private static void awaitExists(RedisServer redis, String key, boolean exists) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String expected = exists ? "1" : "0";
        String now = redis.cli("EXISTS", key);
        while (!now.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            now = redis.cli("EXISTS", key);
        }
        assertThat(now).as(key + " exists").isEqualTo(expected);
    }
}
