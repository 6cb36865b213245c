package dev.turnlab.client;

import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.auth.LongTermCredentials;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The client side of the long-term credential mechanism (RFC 8489 §9.2): the user name and password,
 * and the realm, nonce and key learnt from the server's last challenge. Requests are signed with
 * USERNAME, REALM, NONCE and MESSAGE-INTEGRITY once a challenge has been answered. The key is the
 * RFC 5389 MD5 key, which every server accepts from a client that sends no PASSWORD-ALGORITHM.
 * Written on the event loop only; never logs the password or the key.
 */
final class LongTermAuth {

    /**
     * How many 438s in a row a request answers with the new NONCE. More than one: a server may bind its
     * nonces to more than time (ours to the 5-tuple's allocations, against replays), so a second 438 can
     * be as honest as the first; a few, not more, so that a server that never accepts a nonce ends it.
     */
    static final int STALE_NONCE_RETRIES = 3;

    private final String username;
    private final String password;
    private final String fixedRealm;
    private volatile String realm; // read by realm() from any thread
    private String nonce;
    private byte[] key;

    /** Credentials used in the realm of the server's challenge; both null for none. */
    LongTermAuth(String username, String password) {
        this(username, password, null);
    }

    /** Credentials used in {@code fixedRealm}, or in the realm of the server's challenge when it is null. */
    LongTermAuth(String username, String password, String fixedRealm) {
        this.username = username;
        this.password = password;
        this.fixedRealm = fixedRealm;
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

    /** The nonce of the last challenge, or null. */
    String nonce() {
        return nonce;
    }

    /** The key requests are signed with, or null before the first challenge. */
    byte[] key() {
        return key;
    }

    /** Takes the REALM and NONCE of a 401 or 438 (RFC 8489 §9.2.5); a new realm means a new key. */
    void challenge(Realm newRealm, Nonce newNonce) {
        String next = fixedRealm != null ? fixedRealm : newRealm != null ? newRealm.value() : null;
        if (next != null && (key == null || !next.equals(realm))) {
            realm = next;
            key = LongTermCredentials.key(username, realm, password);
        }
        nonce = newNonce.value();
    }

    /** Takes the REALM and NONCE of {@code errorResponse}, which must carry a NONCE. */
    void challenge(StunMessage errorResponse) {
        Nonce newNonce = errorResponse.get(Nonce.class);
        if (newNonce == null) {
            throw new IllegalArgumentException("challenge: " + errorResponse + " (expected: a NONCE)");
        }
        challenge(errorResponse.get(Realm.class), newNonce);
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

    /**
     * An authenticated request (RFC 8489 §9.2.5): an unsigned request that draws a 401 with REALM and
     * NONCE is signed and sent again; a 438 is sent again with the new NONCE, up to
     * {@link #STALE_NONCE_RETRIES} times in a row. Any other answer, including a 401 to a signed request,
     * is final. {@code exchange} runs one transaction, given the key the request was signed with or null.
     */
    CompletableFuture<Exchange> transact(Supplier<StunMessage.Builder> request,
            BiFunction<StunMessage, byte[], CompletableFuture<Exchange>> exchange) {
        return attempt(request, exchange, true, STALE_NONCE_RETRIES);
    }

    private CompletableFuture<Exchange> attempt(Supplier<StunMessage.Builder> request,
            BiFunction<StunMessage, byte[], CompletableFuture<Exchange>> exchange, boolean mayAnswerChallenge,
            int staleRetries) {
        boolean signed = isReady();
        StunMessage message = sign(request.get());
        return exchange.apply(message, signed ? key : null).thenCompose(ex -> {
            ErrorCode error = ex.response().get(ErrorCode.class);
            Realm challengeRealm = ex.response().get(Realm.class);
            Nonce challengeNonce = ex.response().get(Nonce.class);
            if (error == null || challengeNonce == null || !hasCredentials()) {
                return CompletableFuture.completedFuture(ex);
            }
            if (error.code() == 401 && !signed && mayAnswerChallenge && challengeRealm != null) {
                challenge(challengeRealm, challengeNonce);
                return attempt(request, exchange, false, staleRetries);
            }
            if (error.code() == 438 && staleRetries > 0 && (challengeRealm != null || realm != null)) {
                challenge(challengeRealm, challengeNonce);
                return attempt(request, exchange, false, staleRetries - 1);
            }
            return CompletableFuture.completedFuture(ex);
        });
    }
}
