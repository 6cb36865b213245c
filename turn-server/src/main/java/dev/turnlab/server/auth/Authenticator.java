package dev.turnlab.server.auth;

import dev.turnlab.server.LoginLimits;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.AttributeType;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.PasswordAlgorithm;
import dev.turnlab.codec.attribute.PasswordAlgorithms;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.UserHash;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.auth.LongTermCredentials;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The server side of the long-term credential mechanism (RFC 8489 §9.2.4), as a function of the request,
 * the client's address, the generation of its 5-tuple, the time and the failed logins so far. With the
 * security features on, challenges offer PASSWORD-ALGORITHMS (SHA-256, then MD5) and accept USERHASH;
 * RFC 5389 clients that send neither PASSWORD-ALGORITHM nor PASSWORD-ALGORITHMS keep the MD5 key.
 * Rejections are values; nothing here logs.
 */
public final class Authenticator {

    /** What the server offers in PASSWORD-ALGORITHMS, by decreasing preference (RFC 8489 §14.11). */
    public static final PasswordAlgorithms OFFERED = PasswordAlgorithms.of(PasswordAlgorithm.SHA256, PasswordAlgorithm.MD5);

    /** The password an unknown user's key is derived from, so that both refusals cost the same work. */
    static final String DUMMY_PASSWORD = "turnlab-no-such-user-0123456789";
    /**
     * The name an unknown user's key is derived with: one name for all, so that its key is found among the
     * {@link DerivedKeys} as a known user's is, whatever names a guesser makes up.
     */
    static final String DUMMY_USER = "turnlab-no-such-user";

    /** Derives a long-term key (RFC 8489 §9.2.2); null when the password cannot be prepared. */
    interface KeyDerivation {
        byte[] key(String username, String realm, String password, PasswordAlgorithm algorithm);
    }

    private final String realm;
    private final CredentialStore credentials;
    private final Nonces nonces;
    private final ErrorCode integrityFailure;
    private final Clock clock;
    private final LoginLimiter limiter;
    private final DerivedKeys keys;

    /**
     * An authenticator for {@code realm}; {@code integrityFailure} is the error for a wrong password
     * (401 per RFC 8489, 431 as a Cisco Expressway-E answers); failed logins are limited by {@code limits}.
     */
    public Authenticator(String realm, CredentialStore credentials, Nonces nonces, ErrorCode integrityFailure,
            Clock clock, LoginLimits limits) {
        this(realm, credentials, nonces, integrityFailure, clock, limits, Authenticator::key);
    }

    Authenticator(String realm, CredentialStore credentials, Nonces nonces, ErrorCode integrityFailure,
            Clock clock, LoginLimits limits, KeyDerivation derivation) {
        this.realm = realm;
        this.credentials = credentials;
        this.nonces = nonces;
        this.integrityFailure = integrityFailure;
        this.clock = clock;
        this.limiter = new LoginLimiter(limits, clock);
        this.keys = new DerivedKeys(derivation);
    }

    /** The realm (RFC 8489 §14.9). */
    public String realm() {
        return realm;
    }

    /** The failed-login limiter. */
    public LoginLimiter limiter() {
        return limiter;
    }

    /**
     * Checks {@code request} from {@code client}, whose 5-tuple is at {@code generation}, following the
     * bullets of RFC 8489 §9.2.4: no integrity (401 challenge); integrity without USERNAME/USERHASH, REALM
     * or NONCE (400); the PASSWORD-ALGORITHM(S) rules when the nonce cookie announces them (400); another
     * realm (401). Then the login limits (refused unchecked, with the wrong-password answer); an unknown
     * user (401) or a MAC that does not verify (401, or 431 in the Expressway profile), both after the same
     * key derivation and constant-time comparison, and both counted against the limits; an expired TURN
     * REST API credential whose MAC verifies (401, not counted: not a guess); and only then an expired
     * nonce (438), so that a 438 for expiry goes only to a client that proved its key.
     *
     * <p>A deliberate deviation from the RFC's order: a nonce this server never issued to this client and
     * generation gets 438 <em>before</em> the MAC is checked, bullet 6 ahead of bullet 5. Such a nonce
     * proves nothing about the client, and checking a password with it would let a guesser whose source is
     * spoofed or replayed spend another address's login limit, or escape its own; answering 438 first
     * costs an honest client nothing (it retries with the fresh nonce, as it would after bullet 5's 401)
     * and keeps every counted guess tied to an address that received its nonce (RFC 8656 §21 replays land
     * here too).
     */
    public AuthResult authenticate(StunMessage request, InetSocketAddress client, int generation) {
        // Bullet 1: no MESSAGE-INTEGRITY(-SHA256): 401 with REALM and NONCE, no integrity.
        if (!request.hasIntegrity()) {
            return reject(ErrorCode.UNAUTHORIZED, client, generation, AuthResult.Failure.CHALLENGE, null);
        }
        Username username = request.get(Username.class);
        UserHash userHash = request.get(UserHash.class);
        Realm requestRealm = request.get(Realm.class);
        Nonce nonce = request.get(Nonce.class);
        // Bullet 2: integrity without USERNAME or USERHASH, REALM or NONCE: 400 without a challenge.
        if (username == null && userHash == null || requestRealm == null || nonce == null) {
            return reject(ErrorCode.BAD_REQUEST, client, generation, AuthResult.Failure.MISSING_ATTRIBUTES, null);
        }
        String name = username != null ? username.value()
                : credentials.username(userHash.value(), realm).orElse(null);
        // Bullet 3: a nonce cookie with the "Password algorithms" bit: neither attribute means MD5; else
        // both, PASSWORD-ALGORITHMS as this server sends it, PASSWORD-ALGORITHM one of them; else 400.
        PasswordAlgorithm algorithm = request.get(PasswordAlgorithm.class);
        PasswordAlgorithms algorithms = request.get(PasswordAlgorithms.class);
        if ((Nonces.features(nonce.value()) & Nonces.PASSWORD_ALGORITHMS) != 0
                && (algorithm != null || algorithms != null)
                && !(algorithm != null && algorithms != null && nonces.announcesFeatures()
                        && OFFERED.equals(algorithms) && algorithms.algorithms().contains(algorithm))) {
            return reject(ErrorCode.BAD_REQUEST, client, generation, AuthResult.Failure.ALGORITHM_MISMATCH, name);
        }
        // Bullet 4, realm: a REALM that is not this server's: 401.
        if (!realm.equals(requestRealm.value())) {
            return reject(ErrorCode.UNAUTHORIZED, client, generation, AuthResult.Failure.WRONG_REALM, name);
        }
        // Bullet 6 ahead of its turn for a nonce never issued to this client's 5-tuple (RFC 8656 §21:
        // a replay from before the 5-tuple's last deallocation lands here).
        Nonces.Status status = nonces.check(nonce.value(), client, generation);
        if (status == Nonces.Status.FOREIGN) {
            return reject(ErrorCode.STALE_NONCE, client, generation, AuthResult.Failure.STALE_NONCE, name);
        }
        LoginLimiter.Verdict verdict = limiter.admit(client.getAddress(), name);
        if (verdict != LoginLimiter.Verdict.CHECK) {
            return reject(integrityFailure, client, generation, verdict == LoginLimiter.Verdict.SOURCE_LIMITED
                    ? AuthResult.Failure.RATE_LIMITED_SOURCE : AuthResult.Failure.RATE_LIMITED_USER, name);
        }
        // Bullets 4 and 5: an unknown user's key is derived from a dummy user and password and compared all
        // the same, so that an unknown user and a wrong password take the same time: both keys are derived
        // once and then found among the derived keys, the dummy one whatever name comes. An expired credential
        // (TURN REST API) is checked with the password it had: one that verifies proved the secret's work
        // and is refused without counting as a guess, so stale credentials retried by many clients behind
        // one NAT do not spend that address's login limit.
        long now = clock.millis();
        List<String> passwords = name == null ? List.of() : credentials.passwords(name, now);
        // A user stored as coturn's MD5 key answers only with MD5; asked for another algorithm it fails
        // like a wrong password, after the same work.
        Optional<byte[]> storedKey = name == null || !passwords.isEmpty() ? Optional.empty() : credentials.md5Key(name);
        boolean md5 = algorithm == null || PasswordAlgorithm.MD5.equals(algorithm);
        List<String> expired = name == null || !passwords.isEmpty() || storedKey.isPresent() ? List.of()
                : credentials.expiredPasswords(name, now);
        List<String> candidates = !passwords.isEmpty() ? passwords : !expired.isEmpty() ? expired : List.of(DUMMY_PASSWORD);
        // Several candidates (shared secrets in Redis): the first whose key verifies is the user's. A name
        // with no credential derives with the dummy name, so its key is found among the derived keys too.
        // A user stored as an MD5 key derives nothing of its own: the dummy derivation keeps its work equal.
        String derivedFor = !passwords.isEmpty() || !expired.isEmpty() ? name : DUMMY_USER;
        byte[] key = null;
        boolean verified = false;
        for (int i = 0; i < candidates.size() && !verified; i++) {
            byte[] derived = keys.key(derivedFor, realm, candidates.get(i), algorithm);
            byte[] k = storedKey.isPresent() && md5 ? storedKey.get() : derived;
            verified = k != null && request.verifyIntegrity(k) && (storedKey.isEmpty() || md5);
            key = i == 0 || verified ? k : key;
        }
        boolean known = !passwords.isEmpty() || storedKey.isPresent();
        if (!expired.isEmpty() && verified) {
            return reject(ErrorCode.UNAUTHORIZED, client, generation, AuthResult.Failure.EXPIRED, name);
        }
        if (!known || !verified) {
            limiter.failed(client.getAddress(), name, known);
            return !known
                    ? reject(ErrorCode.UNAUTHORIZED, client, generation, AuthResult.Failure.UNKNOWN_USER, name)
                    : reject(integrityFailure, client, generation, AuthResult.Failure.INTEGRITY, name);
        }
        // Bullet 6: a nonce this server issued to this client, but expired: 438.
        if (status == Nonces.Status.EXPIRED) {
            return reject(ErrorCode.STALE_NONCE, client, generation, AuthResult.Failure.STALE_NONCE, name);
        }
        // After the checks: MESSAGE-INTEGRITY-SHA256 in responses unless the request was processed as MD5
        // because it named no PASSWORD-ALGORITHM (RFC 8489 §9.2.4, last paragraph).
        boolean sha256 = request.has(AttributeType.MESSAGE_INTEGRITY_SHA256) || algorithm != null;
        return new AuthResult.Accepted(name, key, sha256);
    }

    /**
     * Null when {@code request} from {@code client}, whose 5-tuple is at {@code generation}, can be
     * {@linkplain #authenticate authenticated} now, from memory; else a future that completes when its user
     * was looked up in a remote store (then authenticate it), or fails when the user cannot be checked now.
     * Only a request that would reach the password check asks: one whose NONCE this server issued to this
     * client, so that a spoofed or replayed flood of made-up names cannot make the server query the store
     * (such a request is answered 438 from memory, as {@link #authenticate} does).
     */
    public CompletableFuture<Void> lookUp(StunMessage request, InetSocketAddress client, int generation) {
        if (!request.hasIntegrity()) {
            return null;
        }
        Username username = request.get(Username.class);
        Realm requestRealm = request.get(Realm.class);
        Nonce nonce = request.get(Nonce.class);
        if (username == null || requestRealm == null || nonce == null || !realm.equals(requestRealm.value())
                || nonces.check(nonce.value(), client, generation) == Nonces.Status.FOREIGN) {
            return null;
        }
        return credentials.lookUp(username.value(), clock.millis());
    }

    /**
     * The key (RFC 8489 §9.2.2): the RFC 5389 MD5 key without PASSWORD-ALGORITHM, else the RFC 8489 key
     * of that algorithm; null when the password cannot be prepared (it then cannot match).
     */
    private static byte[] key(String username, String realm, String password, PasswordAlgorithm algorithm) {
        try {
            return algorithm == null ? LongTermCredentials.key(username, realm, password)
                    : LongTermCredentials.key(username, realm, password, algorithm);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The attributes every challenge carries: REALM, a fresh NONCE for the client's 5-tuple at
     * {@code generation} and, when the security features are on, PASSWORD-ALGORITHMS (RFC 8489 §9.2.4).
     */
    public List<StunAttribute> challengeAttributes(InetSocketAddress client, int generation) {
        Realm r = new Realm(realm);
        Nonce n = new Nonce(nonces.issue(client, generation));
        return nonces.announcesFeatures() ? List.of(r, n, OFFERED) : List.of(r, n);
    }

    private AuthResult reject(ErrorCode error, InetSocketAddress client, int generation, AuthResult.Failure failure,
            String username) {
        // 400 carries no challenge; every 401, 431 and 438 carries REALM and a fresh NONCE.
        List<StunAttribute> attributes = error.code() == 400 ? List.of() : challengeAttributes(client, generation);
        return new AuthResult.Rejected(error, attributes, failure, username);
    }
}
