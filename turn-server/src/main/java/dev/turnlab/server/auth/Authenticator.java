package dev.turnlab.server.auth;

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

/**
 * The server side of the long-term credential mechanism (RFC 8489 §9.2.4), as a pure function of the
 * request, the client's address and the time. With the security features on, challenges offer
 * PASSWORD-ALGORITHMS (SHA-256, then MD5) and accept USERHASH; RFC 5389 clients that send neither
 * PASSWORD-ALGORITHM nor PASSWORD-ALGORITHMS keep the MD5 key. Rejections are values; nothing here logs.
 */
public final class Authenticator {

    /** What the server offers in PASSWORD-ALGORITHMS, by decreasing preference (RFC 8489 §14.11). */
    public static final PasswordAlgorithms OFFERED = PasswordAlgorithms.of(PasswordAlgorithm.SHA256, PasswordAlgorithm.MD5);

    private final String realm;
    private final CredentialStore credentials;
    private final Nonces nonces;
    private final ErrorCode integrityFailure;
    private final Clock clock;

    /**
     * An authenticator for {@code realm}; {@code integrityFailure} is the error for a wrong password
     * (401 per RFC 8489, 431 as a Cisco Expressway-E answers).
     */
    public Authenticator(String realm, CredentialStore credentials, Nonces nonces, ErrorCode integrityFailure,
            Clock clock) {
        this.realm = realm;
        this.credentials = credentials;
        this.nonces = nonces;
        this.integrityFailure = integrityFailure;
        this.clock = clock;
    }

    /** The realm (RFC 8489 §14.9). */
    public String realm() {
        return realm;
    }

    /**
     * Checks {@code request} from {@code client} following the bullets of RFC 8489 §9.2.4 in their order:
     * no integrity (401 challenge); integrity without USERNAME/USERHASH, REALM or NONCE (400); the
     * PASSWORD-ALGORITHM(S) rules when the nonce cookie announces them (400); an unknown user (401); a MAC
     * that does not verify (401, or 431 in the Expressway profile); and only then a stale nonce (438), so
     * that a 438 with a fresh nonce goes only to a client that proved its key.
     */
    public AuthResult authenticate(StunMessage request, InetSocketAddress client) {
        // Bullet 1: no MESSAGE-INTEGRITY(-SHA256): 401 with REALM and NONCE, no integrity.
        if (!request.hasIntegrity()) {
            return reject(ErrorCode.UNAUTHORIZED, client, "no credentials (challenge)", null, true);
        }
        Username username = request.get(Username.class);
        UserHash userHash = request.get(UserHash.class);
        Realm requestRealm = request.get(Realm.class);
        Nonce nonce = request.get(Nonce.class);
        // Bullet 2: integrity without USERNAME or USERHASH, REALM or NONCE: 400 without a challenge.
        if (username == null && userHash == null || requestRealm == null || nonce == null) {
            return reject(ErrorCode.BAD_REQUEST, client, "USERNAME/USERHASH, REALM or NONCE missing", null, false);
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
            return reject(ErrorCode.BAD_REQUEST, client, "PASSWORD-ALGORITHM(S) do not match the offer", name, false);
        }
        // Bullet 4: USERNAME or USERHASH not valid (unknown, expired, or of another realm): 401.
        if (!realm.equals(requestRealm.value())) {
            return reject(ErrorCode.UNAUTHORIZED, client, "realm is not " + realm, name, false);
        }
        Optional<String> password = name == null ? Optional.empty() : credentials.password(name, clock.millis());
        if (password.isEmpty()) {
            return reject(ErrorCode.UNAUTHORIZED, client,
                    name == null ? "unknown USERHASH" : "unknown or expired user", name, false);
        }
        byte[] key = key(name, password.get(), algorithm);
        // Bullet 5: the MAC does not verify: 401 (431 in the Expressway profile).
        if (key == null || !request.verifyIntegrity(key)) {
            return reject(integrityFailure, client, "integrity check failed", name, false);
        }
        // Bullet 6: a nonce this server did not issue to this client, or an expired one: 438.
        if (!nonces.isValid(nonce.value(), client)) {
            return reject(ErrorCode.STALE_NONCE, client, "stale or foreign nonce", name, false);
        }
        // After the checks: MESSAGE-INTEGRITY-SHA256 in responses unless the request was processed as MD5
        // because it named no PASSWORD-ALGORITHM (RFC 8489 §9.2.4, last paragraph).
        boolean sha256 = request.has(AttributeType.MESSAGE_INTEGRITY_SHA256) || algorithm != null;
        return new AuthResult.Accepted(name, key, sha256);
    }

    /**
     * The key (RFC 8489 §9.2.2): the RFC 5389 MD5 key without PASSWORD-ALGORITHM, else the RFC 8489 key
     * of that algorithm; null when the password cannot be prepared (it then cannot match).
     */
    private static byte[] key(String username, String password, PasswordAlgorithm algorithm, String realm) {
        try {
            return algorithm == null ? LongTermCredentials.key(username, realm, password)
                    : LongTermCredentials.key(username, realm, password, algorithm);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private byte[] key(String username, String password, PasswordAlgorithm algorithm) {
        return key(username, password, algorithm, realm);
    }

    /**
     * The attributes every challenge carries: REALM, a fresh NONCE and, when the security features
     * are on, PASSWORD-ALGORITHMS (RFC 8489 §9.2.4).
     */
    public List<StunAttribute> challengeAttributes(InetSocketAddress client) {
        Realm r = new Realm(realm);
        Nonce n = new Nonce(nonces.issue(client));
        return nonces.announcesFeatures() ? List.of(r, n, OFFERED) : List.of(r, n);
    }

    private AuthResult reject(ErrorCode error, InetSocketAddress client, String reason, String username,
            boolean challenge) {
        // 400 carries no challenge; every 401, 431 and 438 carries REALM and a fresh NONCE.
        List<StunAttribute> attributes = error.code() == 400 ? List.of() : challengeAttributes(client);
        return new AuthResult.Rejected(error, attributes, reason, username, challenge);
    }
}
