package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.auth.LongTermCredentials;
import dev.turnlab.server.LoginLimits;
import dev.turnlab.testing.tools.CapturedLog;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a client can make the server log: its strings quoted and escaped, so it cannot forge a line; at most
 * the configured number of rejection lines per second, then a summary; never a password, key or MAC.
 */
class LogSafetyTest {

    private static final String PASSWORD = "alice-secret";
    private final MutableClock clock = MutableClock.now();
    @RegisterExtension
    final CapturedLog log = new CapturedLog();


    @Test
    void attackerStringsAreQuotedAndEscaped() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", PASSWORD)) {
            StunMessage challenge = client.exchange(StunMessage.request(Method.ALLOCATE).add(RequestedTransport.UDP).build());
            String evil = "mallory\nTURN allocation created: user=root";
            StunMessage forged = StunMessage.request(Method.ALLOCATE).add(RequestedTransport.UDP, new Username(evil),
                            new Realm("turnlab\r\nx"), challenge.get(Nonce.class), new Software("sw\u2028\"x\""))
                    .integrity(LongTermCredentials.key("alice", "turnlab", PASSWORD)).build();

            assertThat(client.exchange(forged).stunClass()).isEqualTo(StunClass.ERROR_RESPONSE);
            assertThat(client.allocate(new Software("evil\nclient")).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        }

        assertThat(log.lines()).allSatisfy(line -> assertThat(line).doesNotContain("\n", "\r", "\u2028"));
        assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                .contains("user=\"mallory\\nTURN allocation created: user=root\"", "realm=\"turnlab\\r\\nx\""));
        assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                .containsPattern("^TURN allocation created id=[0-9a-f]{12} user=alice ").contains("software=\"evil\\nclient\""));
    }

    @Test
    void rejectionsAreRateLimitedPerSourceWithASummary() throws Exception {
        // Login limits off: 50 wrong passwords in a row would otherwise mostly be refused unchecked (logged at debug).
        try (TurnServer server = TestServers.loopback(clock).logRate(5).loginLimits(LoginLimits.parse("off")).build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "wrong")) {
            client.authenticated(Method.ALLOCATE, RequestedTransport.UDP); // learns the nonce; one rejection
            for (int i = 0; i < 49; i++) {
                client.exchange(client.signed(Method.ALLOCATE, RequestedTransport.UDP));
            }
            assertThat(server.counters().authRejectionCount()).isEqualTo(50);
            assertThat(log.lines().stream().filter(l -> l.startsWith("TURN request rejected"))).hasSize(5);

            clock.advance(java.time.Duration.ofSeconds(2));
            server.sweepNow();

            assertThat(log.lines()).contains("TURN log lines suppressed (over the per-source rate limit) source=127.0.0.1 lines=45");
        }
    }

    @Test
    void loginsRefusedByTheLimitsAreLoggedAtDebugWithinTheLogRate() throws Exception {
        ch.qos.logback.classic.Logger auth = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("dev.turnlab.server.auth");
        ch.qos.logback.classic.Level before = auth.getLevel();
        auth.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try (TurnServer server = TestServers.loopback(clock).logRate(5)
                        .loginLimits(new LoginLimits(2, 100, java.time.Duration.ofMinutes(1), 100)).build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "wrong")) {
            client.authenticated(Method.ALLOCATE, RequestedTransport.UDP);
            for (int i = 0; i < 9; i++) {
                client.exchange(client.signed(Method.ALLOCATE, RequestedTransport.UDP));
            }

            assertThat(server.metrics().authFailures()).containsEntry("integrity", 2L)
                    .containsEntry("rate_limited_source", 8L);
            // The challenge (debug too), 2 rejections, then 2 of the 8 refusals: 5 lines in the second.
            assertThat(log.lines().stream().filter(l -> l.startsWith("TURN login limited"))).hasSize(2)
                    .allSatisfy(l -> assertThat(l).contains("user=alice ", "reason=rate_limited_source"));
        } finally {
            auth.setLevel(before);
        }
    }

    @Test
    void passwordsKeysAndMacsAreNeverLogged() throws Exception {
        String secret = "s3cret-REST";
        String restUser = (clock.millis() / 1000 + 3600) + ":carol";
        try (TurnServer server = TestServers.loopback(clock).authSecret(secret).build().start()) {
            try (BlockingClient ok = BlockingClient.udp(server.udpAddress(), "alice", PASSWORD);
                    BlockingClient bad = BlockingClient.udp(server.udpAddress(), "alice", "not-" + PASSWORD);
                    BlockingClient rest = BlockingClient.udp(server.udpAddress(), restUser,
                            new dev.turnlab.server.auth.SharedSecretCredentials(secret).passwordFor(restUser))) {
                ok.allocate();
                ok.refresh(600);
                bad.allocate();
                rest.allocate();
                ok.refresh(0);
            }
        }
        byte[] key = LongTermCredentials.key("alice", "turnlab", PASSWORD);
        String restPassword = new dev.turnlab.server.auth.SharedSecretCredentials(secret).passwordFor(restUser);
        List<String> forbidden = List.of(PASSWORD, secret, restPassword, HexFormat.of().formatHex(key),
                Base64.getEncoder().encodeToString(key));

        assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("TURN request rejected"));
        assertThat(String.join("\n", log.lines())).doesNotContain(forbidden);
    }
}
