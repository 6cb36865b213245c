package dev.turnlab.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.auth.LongTermCredentials;
import dev.turnlab.server.ClusterConfig;
import dev.turnlab.server.ClusterCounters;
import dev.turnlab.testing.tools.SharedRedis;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis user store against a real redis-server made slow: every look-up is bounded, and so is their number. */
class RedisUsersTest {

    @RegisterExtension
    static final SharedRedis REDIS = SharedRedis.keptBetweenTests();
    @Test
    void aKnownUserIsAnsweredFromMemoryOnceLookedUpAndAnUnknownNameIsRememberedToo() throws Exception {
        REDIS.server().cli("SET", CoturnKeys.userKey("turnlab", "ivy"),
                HexFormat.of().formatHex(LongTermCredentials.key("ivy", "turnlab", "ivy-pw")));
        ClusterCounters counters = new ClusterCounters();
        try (RedisLink link = joined()) {
            RedisUsers users = new RedisUsers(link, "turnlab", counters, Clock.systemUTC(), 8);
            long now = System.currentTimeMillis();
            assertThat(users.md5Key("ivy")).isEmpty();
            users.lookUp("ivy", now).get(5, TimeUnit.SECONDS);
            assertThat(users.md5Key("ivy")).hasValueSatisfying(
                    k -> assertThat(k).isEqualTo(LongTermCredentials.key("ivy", "turnlab", "ivy-pw")));
            assertThat(users.lookUp("ivy", now)).as("answered from memory").isNull();

            users.lookUp("nobody", now).get(5, TimeUnit.SECONDS);
            assertThat(users.lookUp("nobody", now)).as("an unknown name, remembered").isNull();
            assertThat(users.md5Key("nobody")).isEmpty();
            assertThat(counters.lookups()).isEqualTo(2);
        }
    }

    @Test
    void aSlowRedisFailsALookUpWithinTheCommandTimeoutAndLookUpsPastTheBoundFailAtOnce() throws Exception {
        ClusterCounters counters = new ClusterCounters();
        try (RedisLink link = joined()) {
            RedisUsers users = new RedisUsers(link, "turnlab", counters, Clock.systemUTC(), 2);
            REDIS.server().cli("CLIENT", "PAUSE", "3000"); // Redis answers nobody for 3 s
            long start = System.nanoTime();
            long now = System.currentTimeMillis();
            CompletableFuture<Void> first = users.lookUp("a", now);
            CompletableFuture<Void> second = users.lookUp("b", now);
            CompletableFuture<Void> third = users.lookUp("c", now);
            CompletableFuture<Void> again = users.lookUp("a", now);
            assertThat(again).as("the same name shares the look-up in flight").isNotNull();
            assertThat(users.inFlight()).isEqualTo(2);

            assertThat(third).isCompletedExceptionally();
            assertThat(counters.refusedFor(ClusterCounters.Refusal.LOOKUPS_FULL)).isEqualTo(1);
            assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // Bounded by the command timeout (250 ms), with room for a loaded machine, far below the 3 s pause.
            assertThat(took).isGreaterThanOrEqualTo(ClusterConfig.DEFAULT_COMMAND_TIMEOUT).isLessThan(Duration.ofMillis(2500));
            assertThatThrownBy(() -> again.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            // Each login is refused and counted; Redis was asked twice.
            assertThat(counters.refusedFor(ClusterCounters.Refusal.REDIS_UNAVAILABLE)).isEqualTo(3);
            assertThat(counters.lookups()).isEqualTo(2);
            assertThat(users.inFlight()).isZero();
        } finally {
            REDIS.server().cli("CLIENT", "UNPAUSE");
        }
    }

    private static RedisLink joined() throws InterruptedException {
        RedisLink link = RedisLink.start(ClusterConfig.of(REDIS.server().uri()), REDIS.scheduler());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!link.isUp() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(link.isUp()).as("link up").isTrue();
        return link;
    }
}
