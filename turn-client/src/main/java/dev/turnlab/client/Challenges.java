package dev.turnlab.client;

import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A request under the long-term credential mechanism (RFC 8489 §9.2.5): sent signed once a challenge
 * has been answered; an unsigned request that draws a 401 with REALM and NONCE is signed and sent
 * again; a 438 Stale Nonce is sent again with the new NONCE, a few times. Any other answer, including
 * a 401 to a signed request, is final. Runs on the event loop of the {@link LongTermAuth} it uses.
 */
final class Challenges {

    /** Sends one request and completes with its answer; {@code key}, when not null, verifies the responses. */
    @FunctionalInterface
    interface Transmitter {
        CompletableFuture<Exchange> exchange(StunMessage request, byte[] key);
    }

    /**
     * How many 438s in a row a request answers with the new NONCE. More than one: a server may bind its
     * nonces to more than time (ours to the 5-tuple's allocations, against replays), so a second 438 can
     * be as honest as the first; a few, not more, so that a server that never accepts a nonce ends it.
     */
    static final int STALE_NONCE_RETRIES = 3;

    private Challenges() {
    }

    /**
     * Sends the request {@code request} builds (a new transaction each time it is sent), answering the
     * challenges with {@code auth}; completes with the final exchange.
     */
    static CompletableFuture<Exchange> authenticated(LongTermAuth auth, Supplier<StunMessage.Builder> request,
            Transmitter transmitter) {
        return attempt(auth, request, transmitter, true, STALE_NONCE_RETRIES);
    }

    private static CompletableFuture<Exchange> attempt(LongTermAuth auth, Supplier<StunMessage.Builder> request,
            Transmitter transmitter, boolean mayAnswerChallenge, int staleRetries) {
        boolean signed = auth.isReady();
        StunMessage message = auth.sign(request.get());
        return transmitter.exchange(message, signed ? auth.key() : null).thenCompose(ex -> {
            ErrorCode error = ex.response().get(ErrorCode.class);
            Realm realm = ex.response().get(Realm.class);
            Nonce nonce = ex.response().get(Nonce.class);
            if (error == null || nonce == null || !auth.hasCredentials()) {
                return CompletableFuture.completedFuture(ex);
            }
            if (error.code() == 401 && !signed && mayAnswerChallenge && realm != null) {
                auth.challenge(realm, nonce);
                return attempt(auth, request, transmitter, false, staleRetries);
            }
            if (error.code() == 438 && staleRetries > 0 && (realm != null || auth.realm() != null)) {
                auth.challenge(realm, nonce);
                return attempt(auth, request, transmitter, false, staleRetries - 1);
            }
            return CompletableFuture.completedFuture(ex);
        });
    }
}
