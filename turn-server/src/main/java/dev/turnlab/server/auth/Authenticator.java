package dev.turnlab.server.auth;

import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.AttributeType;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.UserHash;
import dev.turnlab.codec.attribute.Username;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The server side of the long-term credential mechanism (RFC 8489 §9.2.4), as a pure function of the
 * request, the client's address and the time. Rejections are values; nothing here logs or throws.
 */
public final class Authenticator {

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

    /** Checks {@code request} from {@code client} following the numbered steps of RFC 8489 §9.2.4. */
    public AuthResult authenticate(StunMessage request, InetSocketAddress client) {
        // §9.2.4 bullet 1: no MESSAGE-INTEGRITY(-SHA256): 401 with REALM and NONCE, no integrity.
        if (!request.hasIntegrity()) {
            return reject(ErrorCode.UNAUTHORIZED, client, "no credentials (challenge)", null, true);
        }
        Username username = request.get(Username.class);
        UserHash userHash = request.get(UserHash.class);
        Realm requestRealm = request.get(Realm.class);
        Nonce nonce = request.get(Nonce.class);
        // §9.2.4 bullet 2: integrity without USERNAME or USERHASH, REALM or NONCE: 400.
        if (username == null && userHash == null || requestRealm == null || nonce == null) {
            return reject(ErrorCode.BAD_REQUEST, client, "USERNAME/USERHASH, REALM or NONCE missing", null, false);
        }
        String name = username != null ? username.value() : credentials.username(userHash.value(), realm).orElse(null);
        // §9.2.4 bullet 4: a nonce this server did not issue to this client, or an expired one: 438.
        if (!nonces.isValid(nonce.value(), client)) {
            return reject(ErrorCode.STALE_NONCE, client, "stale or foreign nonce", name, false);
        }
        if (!realm.equals(requestRealm.value())) {
            return reject(ErrorCode.UNAUTHORIZED, client, "realm " + requestRealm.value() + " is not " + realm, name,
                    false);
        }
        // §9.2.4 bullet 5: unknown user: 401 with REALM and NONCE.
        Optional<String> password = name == null ? Optional.empty() : credentials.password(name, clock.millis());
        if (password.isEmpty()) {
            return reject(ErrorCode.UNAUTHORIZED, client, name == null ? "unknown USERHASH" : "unknown or expired user",
                    name, false);
        }
        byte[] key = Keys.md5(name, realm, password.get());
        // §9.2.4 bullet 6: the MAC does not verify: 401 (431 in the Expressway profile).
        if (!request.verifyIntegrity(key)) {
            return reject(integrityFailure, client, "integrity check failed", name, false);
        }
        boolean sha256 = request.has(AttributeType.MESSAGE_INTEGRITY_SHA256);
        return new AuthResult.Accepted(name, key, sha256);
    }

    /** The attributes every challenge carries: REALM and a fresh NONCE (RFC 8489 §9.2.4). */
    public List<StunAttribute> challengeAttributes(InetSocketAddress client) {
        return List.of(new Realm(realm), new Nonce(nonces.issue(client)));
    }

    private AuthResult reject(ErrorCode error, InetSocketAddress client, String reason, String username,
            boolean challenge) {
        // 400 carries no challenge; every 401, 431 and 438 carries REALM and a fresh NONCE.
        List<StunAttribute> attributes = error.code() == 400 ? List.of() : challengeAttributes(client);
        return new AuthResult.Rejected(error, attributes, reason, username, challenge);
    }
}
