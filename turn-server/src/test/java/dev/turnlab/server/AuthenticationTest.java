package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.isError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.AttributeType;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.PasswordAlgorithm;
import dev.turnlab.codec.attribute.PasswordAlgorithms;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.UserHash;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.auth.LongTermCredentials;
import dev.turnlab.codec.auth.UserHashes;
import dev.turnlab.server.LoginLimits;
import dev.turnlab.server.auth.SharedSecretCredentials;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Long-term credentials end to end (RFC 8489 §9.2): SHA-256, USERHASH, the Expressway profile, REST secrets. */
class AuthenticationTest {

    private final MutableClock clock = MutableClock.now();

    @Test
    void challengeOffersPasswordAlgorithms() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            StunMessage challenge = challenge(client);
            assertThat(challenge.get(PasswordAlgorithms.class).algorithms())
                    .containsExactly(PasswordAlgorithm.SHA256, PasswordAlgorithm.MD5);
        }
    }

    @Test
    void sha256PasswordAlgorithmAndIntegrity() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            StunMessage challenge = challenge(client);
            byte[] key = LongTermCredentials.key("alice", "turnlab", "alice-secret", PasswordAlgorithm.SHA256);
            StunMessage request = StunMessage.request(Method.ALLOCATE).add(RequestedTransport.UDP,
                            new Username("alice"), challenge.get(Realm.class), challenge.get(Nonce.class),
                            PasswordAlgorithm.SHA256, challenge.get(PasswordAlgorithms.class))
                    .integritySha256(key).build();

            StunMessage response = client.exchange(request);

            assertThat(response.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(response.has(AttributeType.MESSAGE_INTEGRITY_SHA256)).isTrue();
            assertThat(response.verifyIntegrity(key)).isTrue();
        }
    }

    @Test
    void userHashInsteadOfUsername() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            StunMessage challenge = challenge(client);
            StunMessage request = StunMessage.request(Method.ALLOCATE).add(RequestedTransport.UDP,
                            new UserHash(UserHashes.of("bob", "turnlab")), challenge.get(Realm.class),
                            challenge.get(Nonce.class))
                    .integrity(LongTermCredentials.key("bob", "turnlab", "bob-secret")).build();

            assertThat(client.exchange(request).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(server.allocations().get(0).username()).isEqualTo("bob");
        }
    }

    @Test
    void downgradeAttemptIs400() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            StunMessage challenge = challenge(client);
            // PASSWORD-ALGORITHM without the PASSWORD-ALGORITHMS the server sent (RFC 8489 §9.2.4).
            StunMessage request = StunMessage.request(Method.ALLOCATE).add(RequestedTransport.UDP,
                            new Username("alice"), challenge.get(Realm.class), challenge.get(Nonce.class),
                            PasswordAlgorithm.MD5)
                    .integrity(LongTermCredentials.key("alice", "turnlab", "alice-secret")).build();

            assertThat(isError(client.exchange(request), 400)).isTrue();
        }
    }

    @Test
    void integrityWithoutNonceIs400() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            StunMessage request = StunMessage.request(Method.ALLOCATE).add(RequestedTransport.UDP,
                    new Username("alice"), new Realm("turnlab")).integrity(new byte[16]).build();

            assertThat(isError(client.exchange(request), 400)).isTrue();
        }
    }

    @Test
    void expresswayProfileAnswers431ForAWrongPasswordAnd401ForAnUnknownUser() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).profile(Profile.EXPRESSWAY)
                        .user("expturncreds", "right").build().start();
                BlockingClient wrong = BlockingClient.udp(server.udpAddress(), "expturncreds", "wrong");
                BlockingClient unknown = BlockingClient.udp(server.udpAddress(), "nobody", "right");
                BlockingClient right = BlockingClient.udp(server.udpAddress(), "expturncreds", "right")) {
            StunMessage rejected = wrong.allocate();
            assertThat(isError(rejected, 431)).isTrue();
            assertThat(rejected.get(Realm.class).value()).isEqualTo("TANDBERG");
            // No SOFTWARE in errors to unauthenticated requests (small answers); in successes, Expressway's.
            assertThat(rejected.get(Software.class)).isNull();
            assertThat(isError(unknown.allocate(), 401)).isTrue();
            StunMessage allocated = right.allocate();
            assertThat(allocated.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(allocated.get(Software.class).value()).startsWith("TANDBERG/");
        }
    }

    @Test
    void failedLoginsFromOneAddressAreLimitedCountedAndForgivenAsTokensRefill() throws Exception {
        try (TurnServer server = TestServers.loopback(clock)
                        .loginLimits(new LoginLimits(3, 100, Duration.ofMinutes(1), 100)).build().start();
                BlockingClient guesser = BlockingClient.udp(server.udpAddress(), "alice", "guess");
                BlockingClient right = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            for (int i = 0; i < 3; i++) {
                assertThat(isError(guesser.allocate(), 401)).isTrue();
            }

            // Same address: refused unchecked, with the answer a wrong password gets.
            StunMessage refused = right.allocate();
            assertThat(isError(refused, 401)).isTrue();
            assertThat(refused.get(Nonce.class)).isNotNull();
            assertThat(server.metrics().authFailures()).containsEntry("integrity", 3L)
                    .containsEntry("rate_limited_source", 1L);

            clock.advance(Duration.ofSeconds(20)); // 3 a minute: one token back
            assertThat(right.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        }
    }

    @Test
    void restApiEphemeralCredentials() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).authSecret("north").build().start()) {
            long expiry = clock.millis() / 1000 + 3600;
            String user = expiry + ":carol";
            String password = new SharedSecretCredentials("north").passwordFor(user);
            try (BlockingClient client = BlockingClient.udp(server.udpAddress(), user, password)) {
                assertThat(client.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            }
            String expired = (clock.millis() / 1000 - 1) + ":carol";
            try (BlockingClient client = BlockingClient.udp(server.udpAddress(), expired,
                    new SharedSecretCredentials("north").passwordFor(expired))) {
                assertThat(isError(client.allocate(), 401)).isTrue();
            }
        }
    }

    private static StunMessage challenge(BlockingClient client) throws Exception {
        StunMessage challenge = client.exchange(StunMessage.request(Method.ALLOCATE).add(RequestedTransport.UDP).build());
        assertThat(isError(challenge, 401)).isTrue();
        return challenge;
    }
}
