package dev.turnlab.server.auth;

import dev.turnlab.server.LoginLimits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.PasswordAlgorithm;
import dev.turnlab.codec.attribute.PasswordAlgorithms;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.UserHash;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.auth.LongTermCredentials;
import dev.turnlab.codec.auth.UserHashes;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every bullet of RFC 8489 §9.2.4, and the order in which they apply, against a frozen clock. */
class AuthenticatorTest {

    private static final String REALM = "turnlab";
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final byte[] MD5_KEY = LongTermCredentials.key("alice", REALM, "alice-secret");
    private static final byte[] SHA256_KEY =
            LongTermCredentials.key("alice", REALM, "alice-secret", PasswordAlgorithm.SHA256);

    private final MutableClock clock = MutableClock.now();
    private final Nonces nonces = new Nonces(clock, Duration.ofMinutes(10),
            Nonces.PASSWORD_ALGORITHMS | Nonces.USERNAME_ANONYMITY);
    private final Authenticator authenticator = new Authenticator(REALM,
            new StaticCredentials(Map.of("alice", "alice-secret")), nonces, ErrorCode.UNAUTHORIZED, clock, LoginLimits.DEFAULT);
    private final String nonce = nonces.issue(CLIENT, 0);

    /** Encodes and decodes, so that integrity is verified against wire bytes as for a real request. */
    private static StunMessage wire(StunMessage.Builder builder) {
        return BlockingClient.decode(BlockingClient.encode(builder.build()));
    }

    private static StunMessage.Builder request(StunAttribute... attributes) {
        return StunMessage.request(Method.ALLOCATE).add(attributes);
    }

    private StunMessage md5(String user, String nonceValue) {
        return wire(request(new Username(user), new Realm(REALM), new Nonce(nonceValue)).integrity(MD5_KEY));
    }

    private AuthResult.Rejected rejected(StunMessage request) {
        AuthResult result = authenticator.authenticate(request, CLIENT, 0);
        assertThat(result).isInstanceOf(AuthResult.Rejected.class);
        return (AuthResult.Rejected) result;
    }

    private static List<Class<?>> types(AuthResult.Rejected r) {
        List<Class<?>> types = new ArrayList<>();
        r.attributes().forEach(a -> types.add(a.getClass()));
        return types;
    }

    @Test
    void noIntegrityIsA401ChallengeWithRealmNonceAndAlgorithms() {
        AuthResult.Rejected r = rejected(wire(request(new Username("alice"))));

        assertThat(r.error().code()).isEqualTo(401);
        assertThat(r.challenge()).isTrue();
        assertThat(types(r)).containsExactly(Realm.class, Nonce.class, PasswordAlgorithms.class);
    }

    @Test
    void integrityWithoutUsernameRealmOrNonceIs400WithoutChallenge() {
        for (StunMessage m : List.of(
                wire(request(new Realm(REALM), new Nonce(nonce)).integrity(MD5_KEY)),
                wire(request(new Username("alice"), new Nonce(nonce)).integrity(MD5_KEY)),
                wire(request(new Username("alice"), new Realm(REALM)).integrity(MD5_KEY)))) {
            AuthResult.Rejected r = rejected(m);
            assertThat(r.error().code()).isEqualTo(400);
            assertThat(r.attributes()).isEmpty();
        }
    }

    @Test
    void passwordAlgorithmRulesGive400BeforeAnythingElse() {
        // Checked before the user and the nonce: an unknown user with a stale nonce still gets 400.
        clock.advance(Duration.ofHours(1));
        List<StunMessage> bad = List.of(
                // PASSWORD-ALGORITHM without PASSWORD-ALGORITHMS.
                wire(request(new Username("mallory"), new Realm(REALM), new Nonce(nonce), PasswordAlgorithm.SHA256)
                        .integritySha256(SHA256_KEY)),
                // PASSWORD-ALGORITHMS without PASSWORD-ALGORITHM.
                wire(request(new Username("mallory"), new Realm(REALM), new Nonce(nonce), Authenticator.OFFERED)
                        .integrity(MD5_KEY)),
                // PASSWORD-ALGORITHMS not as offered (a downgrade to MD5 only).
                wire(request(new Username("mallory"), new Realm(REALM), new Nonce(nonce), PasswordAlgorithm.MD5,
                        PasswordAlgorithms.of(PasswordAlgorithm.MD5)).integrity(MD5_KEY)),
                // PASSWORD-ALGORITHM not among them.
                wire(request(new Username("mallory"), new Realm(REALM), new Nonce(nonce),
                        new PasswordAlgorithm(0x7777, new byte[0]), Authenticator.OFFERED).integrity(MD5_KEY)));
        for (StunMessage m : bad) {
            AuthResult.Rejected r = rejected(m);
            assertThat(r.error().code()).isEqualTo(400);
            assertThat(r.attributes()).isEmpty();
        }
    }

    @Test
    void withoutTheCookieBitTheAlgorithmRulesDoNotApply() {
        // A nonce without the "Password algorithms" bit: the rules of bullet 3 are skipped, the nonce then fails.
        StunMessage m = wire(request(new Username("alice"), new Realm(REALM),
                new Nonce(Nonces.COOKIE + "QAAA" + "1.x"), PasswordAlgorithm.SHA256).integritySha256(SHA256_KEY));

        assertThat(rejected(m).error().code()).isEqualTo(438);
    }

    @Test
    void unknownUserUnknownUserHashOrOtherRealmIs401WithChallenge() {
        List<StunMessage> bad = List.of(md5("mallory", nonce),
                wire(request(new UserHash(UserHashes.of("mallory", REALM)), new Realm(REALM), new Nonce(nonce))
                        .integrity(MD5_KEY)),
                wire(request(new Username("alice"), new Realm("elsewhere"), new Nonce(nonce)).integrity(MD5_KEY)));
        for (StunMessage m : bad) {
            AuthResult.Rejected r = rejected(m);
            assertThat(r.error().code()).isEqualTo(401);
            assertThat(r.challenge()).isFalse();
            assertThat(types(r)).containsExactly(Realm.class, Nonce.class, PasswordAlgorithms.class);
        }
    }

    @Test
    void unknownUserComesBeforeAStaleNonce() {
        clock.advance(Duration.ofMinutes(11));

        assertThat(rejected(md5("mallory", nonce)).error().code()).isEqualTo(401);
    }

    @Test
    void wrongPasswordIs401Or431AndComesBeforeAStaleNonce() {
        byte[] wrong = LongTermCredentials.key("alice", REALM, "guess");
        StunMessage m = wire(request(new Username("alice"), new Realm(REALM), new Nonce(nonce)).integrity(wrong));
        Authenticator expressway = new Authenticator(REALM, new StaticCredentials(Map.of("alice", "alice-secret")),
                nonces, ErrorCode.INTEGRITY_CHECK_FAILURE, clock, LoginLimits.DEFAULT);

        assertThat(rejected(m).error().code()).isEqualTo(401);
        AuthResult.Rejected r431 = (AuthResult.Rejected) expressway.authenticate(m, CLIENT, 0);
        assertThat(r431.error().code()).isEqualTo(431);
        assertThat(types(r431)).contains(Realm.class, Nonce.class);
        clock.advance(Duration.ofMinutes(11));
        assertThat(rejected(m).error().code()).isEqualTo(401);
    }

    @Test
    void staleOrForeignNonceWithTheRightKeyIs438WithAFreshNonce() {
        AuthResult.Rejected foreign = (AuthResult.Rejected) authenticator.authenticate(md5("alice", nonce),
                new InetSocketAddress("127.0.0.1", 40001), 0);
        assertThat(foreign.error().code()).isEqualTo(438);

        clock.advance(Duration.ofMinutes(11));
        AuthResult.Rejected stale = rejected(md5("alice", nonce));

        assertThat(stale.error().code()).isEqualTo(438);
        assertThat(types(stale)).containsExactly(Realm.class, Nonce.class, PasswordAlgorithms.class);
        String fresh = ((Nonce) stale.attributes().get(1)).value();
        assertThat(nonces.check(fresh, CLIENT, 0)).isEqualTo(Nonces.Status.FRESH);
        assertThat(authenticator.authenticate(md5("alice", fresh), CLIENT, 0)).isInstanceOf(AuthResult.Accepted.class);
    }

    @Test
    void acceptedRequestsChooseTheResponseIntegrity() {
        AuthResult.Accepted md5 = (AuthResult.Accepted) authenticator.authenticate(md5("alice", nonce), CLIENT, 0);
        assertThat(md5.sha256Integrity()).isFalse();
        assertThat(md5.key()).isEqualTo(MD5_KEY);

        StunMessage sha = wire(request(new Username("alice"), new Realm(REALM), new Nonce(nonce),
                PasswordAlgorithm.SHA256, Authenticator.OFFERED).integritySha256(SHA256_KEY));
        AuthResult.Accepted accepted = (AuthResult.Accepted) authenticator.authenticate(sha, CLIENT, 0);
        assertThat(accepted.sha256Integrity()).isTrue();
        assertThat(accepted.key()).isEqualTo(SHA256_KEY);

        StunMessage byHash = wire(request(new UserHash(UserHashes.of("alice", REALM)), new Realm(REALM),
                new Nonce(nonce)).integrity(MD5_KEY));
        assertThat(((AuthResult.Accepted) authenticator.authenticate(byHash, CLIENT, 0)).username()).isEqualTo("alice");
    }

    @Test
    void aUserStoredInCoturnsKeyFormLogsInWithMd5Only() {
        // coturn's README: ninefingers in realm north.gov with password youhavetoberealistic is
        // 0xbc807ee29df3c9ffa736523fb2c4e8ee, MD5("ninefingers:north.gov:youhavetoberealistic").
        Nonces northNonces = new Nonces(clock, Duration.ofMinutes(10), Nonces.PASSWORD_ALGORITHMS);
        Authenticator north = new Authenticator("north.gov",
                new StaticCredentials(Map.of("ninefingers", "0xbc807ee29df3c9ffa736523fb2c4e8ee")), northNonces,
                ErrorCode.INTEGRITY_CHECK_FAILURE, clock, LoginLimits.DEFAULT);
        String n = northNonces.issue(CLIENT, 0);
        StunMessage.Builder asked = request(new Username("ninefingers"), new Realm("north.gov"), new Nonce(n));

        AuthResult md5 = north.authenticate(wire(asked.integrity(
                LongTermCredentials.key("ninefingers", "north.gov", "youhavetoberealistic"))), CLIENT, 0);
        assertThat(md5).isInstanceOf(AuthResult.Accepted.class);

        AuthResult wrong = north.authenticate(wire(request(new Username("ninefingers"), new Realm("north.gov"),
                new Nonce(n)).integrity(LongTermCredentials.key("ninefingers", "north.gov", "guess"))), CLIENT, 0);
        assertThat(((AuthResult.Rejected) wrong).error().code()).isEqualTo(431);

        // The right password with SHA-256 cannot verify: the stored key is MD5's, and SHA-256's is not derivable.
        byte[] sha256 = LongTermCredentials.key("ninefingers", "north.gov", "youhavetoberealistic", PasswordAlgorithm.SHA256);
        AuthResult sha = north.authenticate(wire(request(new Username("ninefingers"), new Realm("north.gov"), new Nonce(n),
                PasswordAlgorithm.SHA256, Authenticator.OFFERED).integritySha256(sha256)), CLIENT, 0);
        assertThat(((AuthResult.Rejected) sha).error().code()).isEqualTo(431);
        assertThat(((AuthResult.Rejected) sha).failure()).isEqualTo(AuthResult.Failure.INTEGRITY);
    }

    @Test
    void nonceFeatureBitsAreReadFromTheCookie() {
        assertThat(Nonces.features(nonce)).isEqualTo(Nonces.PASSWORD_ALGORITHMS | Nonces.USERNAME_ANONYMITY);
        assertThat(Nonces.features("abc")).isZero();
        assertThat(Nonces.features(Nonces.COOKIE + "!!!!x")).isZero();
    }

    @Test
    void aForeignNonceIs438BeforeThePasswordIsChecked() {
        List<String> derived = new ArrayList<>();
        Authenticator recording = recording(derived, LoginLimits.DEFAULT);
        byte[] wrong = LongTermCredentials.key("alice", REALM, "guess");
        StunMessage m = wire(request(new Username("alice"), new Realm(REALM), new Nonce(nonce)).integrity(wrong));

        AuthResult.Rejected r = (AuthResult.Rejected) recording.authenticate(m, new InetSocketAddress("127.0.0.1", 40001), 0);

        assertThat(r.error().code()).isEqualTo(438);
        assertThat(derived).isEmpty();
        assertThat(recording.limiter().trackedSources()).isZero();
    }

    @Test
    void anUnknownUserGoesThroughTheSameKeyDerivationAndComparisonAsAWrongPassword() {
        List<String> derived = new ArrayList<>();
        Authenticator recording = recording(derived, LoginLimits.DEFAULT);
        byte[] wrong = LongTermCredentials.key("alice", REALM, "guess");

        AuthResult.Rejected unknown = (AuthResult.Rejected) recording.authenticate(
                wire(request(new Username("mallory"), new Realm(REALM), new Nonce(nonce)).integrity(wrong)), CLIENT, 0);
        AuthResult.Rejected wrongPassword = (AuthResult.Rejected) recording.authenticate(
                wire(request(new Username("alice"), new Realm(REALM), new Nonce(nonce)).integrity(wrong)), CLIENT, 0);

        assertThat(unknown.failure()).isEqualTo(AuthResult.Failure.UNKNOWN_USER);
        assertThat(wrongPassword.failure()).isEqualTo(AuthResult.Failure.INTEGRITY);
        // One derivation each, of the same algorithm; the unknown user's from the dummy user and password.
        assertThat(derived).containsExactly(Authenticator.DUMMY_USER + ":" + Authenticator.DUMMY_PASSWORD + ":MD5",
                "alice:alice-secret:MD5");
    }

    @Test
    void keysAreDerivedOncePerUserAndAnUnknownNameFindsTheDummyKeyAsAKnownUserFindsItsOwn() {
        List<String> derived = new ArrayList<>();
        Authenticator recording = recording(derived, LoginLimits.DEFAULT);
        byte[] wrong = LongTermCredentials.key("alice", REALM, "guess");
        recording.authenticate(wire(request(new Username("mallory"), new Realm(REALM), new Nonce(nonce)).integrity(wrong)),
                CLIENT, 0);
        assertThat(recording.authenticate(md5("alice", nonce), CLIENT, 0)).isInstanceOf(AuthResult.Accepted.class);
        derived.clear();

        // Names never seen before and the known user again: no derivation for either, so neither is slower.
        AuthResult.Rejected unknown = (AuthResult.Rejected) recording.authenticate(
                wire(request(new Username("eve"), new Realm(REALM), new Nonce(nonce)).integrity(wrong)), CLIENT, 0);
        AuthResult.Rejected wrongPassword = (AuthResult.Rejected) recording.authenticate(
                wire(request(new Username("alice"), new Realm(REALM), new Nonce(nonce)).integrity(wrong)), CLIENT, 0);
        AuthResult accepted = recording.authenticate(md5("alice", nonce), CLIENT, 0);

        assertThat(unknown.failure()).isEqualTo(AuthResult.Failure.UNKNOWN_USER);
        assertThat(wrongPassword.failure()).isEqualTo(AuthResult.Failure.INTEGRITY);
        assertThat(accepted).isInstanceOf(AuthResult.Accepted.class);
        assertThat(derived).isEmpty();
    }

    @Test
    void aSourcePastItsLimitIsRefusedEvenWithTheRightPasswordWhileAnotherSourceLogsIn() {
        List<String> derived = new ArrayList<>();
        Authenticator limited = recording(derived, new LoginLimits(3, 100, Duration.ofMinutes(1), 100));
        byte[] wrong = LongTermCredentials.key("alice", REALM, "guess");
        for (int i = 0; i < 3; i++) {
            StunMessage guess = wire(request(new Username("alice"), new Realm(REALM), new Nonce(nonce)).integrity(wrong));
            assertThat(((AuthResult.Rejected) limited.authenticate(guess, CLIENT, 0)).failure())
                    .isEqualTo(AuthResult.Failure.INTEGRITY);
        }
        derived.clear();

        AuthResult.Rejected refused = (AuthResult.Rejected) limited.authenticate(md5("alice", nonce), CLIENT, 0);
        InetSocketAddress elsewhere = new InetSocketAddress("192.0.2.1", 5000);
        StunMessage right = md5("alice", nonces.issue(elsewhere, 0));

        // Refused unchecked, with the answer a wrong password gets: the attacker cannot tell its guess was right.
        assertThat(refused.failure()).isEqualTo(AuthResult.Failure.RATE_LIMITED_SOURCE);
        assertThat(refused.error().code()).isEqualTo(401);
        assertThat(types(refused)).containsExactly(Realm.class, Nonce.class, PasswordAlgorithms.class);
        assertThat(derived).isEmpty();
        assertThat(limited.authenticate(right, elsewhere, 0)).isInstanceOf(AuthResult.Accepted.class);
    }

    @Test
    void anExpiredRestCredentialThatVerifiesIs401ButNotAGuess() {
        SharedSecretCredentials rest = new SharedSecretCredentials("rest-secret");
        Authenticator restAuth = new Authenticator(REALM, rest, nonces, ErrorCode.UNAUTHORIZED, clock,
                new LoginLimits(3, 5, Duration.ofMinutes(1), 100));
        long nowSeconds = clock.millis() / 1000;
        String expired = (nowSeconds - 10) + ":alice";
        String valid = (nowSeconds + 3600) + ":bob";
        byte[] expiredKey = LongTermCredentials.key(expired, REALM, rest.passwordFor(expired));

        // Many browsers behind one NAT retrying a stale credential: each one 401, none counted.
        for (int i = 0; i < 10; i++) {
            AuthResult.Rejected r = (AuthResult.Rejected) restAuth.authenticate(wire(request(new Username(expired),
                    new Realm(REALM), new Nonce(nonce)).integrity(expiredKey)), CLIENT, 0);
            assertThat(r.error().code()).isEqualTo(401);
            assertThat(r.failure()).isEqualTo(AuthResult.Failure.EXPIRED);
            assertThat(types(r)).contains(Realm.class, Nonce.class);
        }
        assertThat(restAuth.limiter().trackedSources()).isZero();
        byte[] validKey = LongTermCredentials.key(valid, REALM, rest.passwordFor(valid));
        assertThat(restAuth.authenticate(wire(request(new Username(valid), new Realm(REALM), new Nonce(nonce))
                .integrity(validKey)), CLIENT, 0)).isInstanceOf(AuthResult.Accepted.class);

        // An expired name with a MAC that does not verify is a guess like any other.
        AuthResult.Rejected guess = (AuthResult.Rejected) restAuth.authenticate(wire(request(new Username(expired),
                new Realm(REALM), new Nonce(nonce)).integrity(MD5_KEY)), CLIENT, 0);
        assertThat(guess.error().code()).isEqualTo(401);
        assertThat(guess.failure()).isEqualTo(AuthResult.Failure.UNKNOWN_USER);
        assertThat(restAuth.limiter().trackedSources()).isEqualTo(1);
        assertThat(restAuth.limiter().trackedUsers()).isZero();
    }

    @Test
    void aUserWithSeveralPasswordsLogsInWithAnyAndTheResponseIsSignedWithTheOneThatVerified() {
        // coturn's set of shared secrets: the username is valid if any of them signs it.
        String user = (clock.millis() / 1000 + 3600) + ":carol";
        SharedSecretCredentials first = new SharedSecretCredentials("hero1");
        SharedSecretCredentials second = new SharedSecretCredentials("hero2");
        CredentialStore both = new CredentialStore() {
            @Override
            public Optional<String> password(String username, long nowMillis) {
                return first.password(username, nowMillis);
            }

            @Override
            public List<String> passwords(String username, long nowMillis) {
                return List.of(first.passwordFor(username), second.passwordFor(username));
            }
        };
        Authenticator secrets = new Authenticator(REALM, both, nonces, ErrorCode.UNAUTHORIZED, clock, LoginLimits.DEFAULT);
        byte[] secondKey = LongTermCredentials.key(user, REALM, second.passwordFor(user));

        AuthResult result = secrets.authenticate(wire(request(new Username(user), new Realm(REALM), new Nonce(nonce))
                .integrity(secondKey)), CLIENT, 0);
        assertThat(result).isInstanceOfSatisfying(AuthResult.Accepted.class, a -> assertThat(a.key()).isEqualTo(secondKey));
        byte[] otherKey = LongTermCredentials.key(user, REALM, new SharedSecretCredentials("hero3").passwordFor(user));
        assertThat(secrets.authenticate(wire(request(new Username(user), new Realm(REALM), new Nonce(nonce))
                .integrity(otherKey)), CLIENT, 0)).isInstanceOf(AuthResult.Rejected.class);
    }

    private Authenticator recording(List<String> derived, LoginLimits limits) {
        return new Authenticator(REALM, new StaticCredentials(Map.of("alice", "alice-secret")), nonces,
                ErrorCode.UNAUTHORIZED, clock, limits, (user, realm, password, algorithm) -> {
                    derived.add(user + ":" + password + ":" + (algorithm == null ? "MD5" : algorithm.toString()));
                    return algorithm == null ? LongTermCredentials.key(user, realm, password)
                            : LongTermCredentials.key(user, realm, password, algorithm);
                });
    }
}
