package dev.turnlab.client;

import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.auth.LongTermCredentials;

/**
 * The client side of the long-term credential mechanism (RFC 8489 §9.2): the user name and password,
 * and the realm, nonce and key learnt from the server's last challenge. Requests are signed with
 * USERNAME, REALM, NONCE and MESSAGE-INTEGRITY once a challenge has been answered. The key is the
 * RFC 5389 MD5 key, which every server accepts from a client that sends no PASSWORD-ALGORITHM.
 * Written on the event loop only; never logs the password or the key.
 */
final class LongTermAuth {

    private final String username;
    private final String password;
    private volatile String realm; // read by TurnClient.realm() from any thread
    private String nonce;
    private byte[] key;

    LongTermAuth(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /** Whether a user name and password were given. */
    boolean hasCredentials() {
        return username != null && password != null;
    }

    /** Whether a challenge has been answered, so requests go out signed. */
    boolean isReady() {
        return key != null && nonce != null;
    }

    /** The realm of the last challenge, or null. */
    String realm() {
        return realm;
    }

    /** The key requests are signed with, or null before the first challenge. */
    byte[] key() {
        return key;
    }

    /** Takes the REALM and NONCE of a 401 or 438 (RFC 8489 §9.2.5); a new realm means a new key. */
    void challenge(Realm newRealm, Nonce newNonce) {
        if (newRealm != null && (key == null || !newRealm.value().equals(realm))) {
            realm = newRealm.value();
            key = LongTermCredentials.key(username, realm, password);
        }
        nonce = newNonce.value();
    }

    /** Forgets the realm, nonce and key, for a new server (ALTERNATE-SERVER). */
    void reset() {
        realm = null;
        nonce = null;
        key = null;
    }

    /** The request, signed when a challenge has been answered, with FINGERPRINT last. */
    StunMessage sign(StunMessage.Builder request) {
        if (isReady()) {
            request.add(new Username(username), new Realm(realm), new Nonce(nonce)).integrity(key);
        }
        return request.fingerprint().build();
    }
}
