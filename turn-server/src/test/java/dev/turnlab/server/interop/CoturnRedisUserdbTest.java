package dev.turnlab.server.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.server.ClusterConfig;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.Coturn;
import dev.turnlab.testing.tools.RedisServer;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One Redis user database for coturn and for us: a user that coturn's {@code turnadmin} writes logs in on
 * coturn's {@code turnserver --redis-userdb} and on our server with {@code --redis}, and a wrong password is
 * refused by both.
 */
class CoturnRedisUserdbTest {

    private static final String REALM = "shared.test";

    @Test
    void coturnAndWeAcceptTheSameRedisUser() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer.MISSING);
        assumeTrue(Coturn.available(), Coturn.MISSING);
        try (RedisServer redis = RedisServer.launch()) {
            String connection = "ip=127.0.0.1 port=" + redis.port() + " dbname=0";
            Process turnadmin = new ProcessBuilder("turnadmin", "-a", "-N", connection, "-u", "shared", "-r", REALM,
                    "-p", "shared-pw").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assumeTrue(turnadmin.waitFor(30, TimeUnit.SECONDS) && turnadmin.exitValue() == 0, "turnadmin did not run");

            try (Coturn coturn = Coturn.builder().realm(REALM).arguments("--redis-userdb", connection).start();
                    TurnServer ours = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(31950, 31989)
                            .realm(REALM).cluster(ClusterConfig.of(redis.uri())).build().start()) {
                assertThat(allocate(coturn.address(), "shared-pw").stunClass()).as("coturn: " + coturn.log())
                        .isEqualTo(StunClass.SUCCESS_RESPONSE);
                assertThat(BlockingClient.isError(allocate(coturn.address(), "wrong"), 401)).isTrue();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                StunMessage answer = allocate(ours.udpAddress(), "shared-pw");
                // Ours answers 500 (try again) until it has joined Redis.
                while (BlockingClient.isError(answer, 500) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    answer = allocate(ours.udpAddress(), "shared-pw");
                }
                assertThat(answer.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
                assertThat(BlockingClient.isError(allocate(ours.udpAddress(), "wrong"), 401)).isTrue();
            }
        }
    }

    private static StunMessage allocate(InetSocketAddress server, String password) throws Exception {
        try (BlockingClient client = BlockingClient.udp(server, "shared", password)) {
            StunMessage answer = client.allocate();
            if (answer.stunClass() == StunClass.SUCCESS_RESPONSE) {
                client.refresh(0);
            }
            return answer;
        }
    }
}
