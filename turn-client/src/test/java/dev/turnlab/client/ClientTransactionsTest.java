package dev.turnlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.auth.LongTermCredentials;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The public transaction layer on an event loop with frozen time, with the requests it writes collected
 * and answered by hand: the long-term credential loop of RFC 8489 §9.2 and the schedule of §6.2.1.
 */
class ClientTransactionsTest {

    private static final byte[] KEY = LongTermCredentials.key("alice", "turnlab", "alice-secret");

    private final List<StunMessage> written = new ArrayList<>();
    private EmbeddedChannel loop;
    private ClientTransactions transactions;

    @BeforeEach
    void open() {
        loop = new EmbeddedChannel();
        loop.freezeTime();
        transactions = withCredentials(null);
    }

    @AfterEach
    void close() {
        assertThat(loop.finish()).isFalse();
    }

    private ClientTransactions withCredentials(String realm) {
        return ClientTransactions.withCredentials(loop.eventLoop(), request -> {
            written.add(request);
            return loop.eventLoop().newSucceededFuture(null);
        }, Retransmission.udp(), "alice", "alice-secret", realm);
    }

    @Test
    void a401IsAnsweredOnceWithASignedRequestInANewTransactionAndRealmAndNonceAreKept() throws Exception {
        CompletableFuture<Exchange> result = transactions.authenticated(ClientTransactionsTest::allocate);
        StunMessage unsigned = only();
        assertThat(unsigned.get(Username.class)).isNull();
        assertThat(unsigned.hasFingerprint()).isTrue();

        answer(challenge(unsigned, ErrorCode.UNAUTHORIZED, "n1"));
        StunMessage signed = only();
        assertThat(signed.transactionId()).isNotEqualTo(unsigned.transactionId());
        assertThat(signed.get(Username.class).value()).isEqualTo("alice");
        assertThat(signed.get(Realm.class).value()).isEqualTo("turnlab");
        assertThat(signed.get(Nonce.class).value()).isEqualTo("n1");
        assertThat(decoded(signed).verifyIntegrity(KEY)).isTrue();

        answer(StunMessage.successResponse(signed).integrity(KEY).build());
        assertThat(result.get().response().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(transactions.realm()).isEqualTo("turnlab");
        assertThat(transactions.nonce()).isEqualTo("n1");

        // The next request goes out signed at once.
        transactions.authenticated(ClientTransactionsTest::allocate);
        assertThat(only().get(Nonce.class).value()).isEqualTo("n1");
        transactions.cancelAll();
    }

    @Test
    void a438IsAnsweredWithItsNewNonceThreeTimesInARowAndTheFourthIsTheAnswer() throws Exception {
        transactions.challenge(challenge(allocate().build(), ErrorCode.UNAUTHORIZED, "n0"));
        CompletableFuture<Exchange> result = transactions.authenticated(ClientTransactionsTest::allocate);
        List<String> nonces = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            StunMessage request = only();
            nonces.add(request.get(Nonce.class).value());
            answer(challenge(request, ErrorCode.STALE_NONCE, "n" + i));
        }

        assertThat(nonces).containsExactly("n0", "n1", "n2", "n3");
        assertThat(result.get().response().get(ErrorCode.class).code()).isEqualTo(438);
        assertThat(written).isEmpty();
    }

    @Test
    void a401ToASignedRequestIsTheAnswerNotAnotherTry() throws Exception {
        transactions.challenge(challenge(allocate().build(), ErrorCode.UNAUTHORIZED, "n0"));
        CompletableFuture<Exchange> result = transactions.authenticated(ClientTransactionsTest::allocate);

        answer(challenge(only(), ErrorCode.UNAUTHORIZED, "n1"));

        assertThat(result.get().response().get(ErrorCode.class).code()).isEqualTo(401);
        assertThat(written).isEmpty();
    }

    @Test
    void aGivenRealmIsTheOneTheKeyAndTheRequestsUse() throws Exception {
        transactions = withCredentials("TANDBERG");
        transactions.authenticated(ClientTransactionsTest::allocate);
        answer(challenge(only(), ErrorCode.UNAUTHORIZED, "n1"));

        StunMessage signed = only();
        assertThat(signed.get(Realm.class).value()).isEqualTo("TANDBERG");
        assertThat(decoded(signed).verifyIntegrity(LongTermCredentials.key("alice", "TANDBERG", "alice-secret")))
                .isTrue();
        transactions.cancelAll();
    }

    @Test
    void anErrorResponseIsAValueAndACraftedRequestGoesOutAsItIs() throws Exception {
        StunMessage crafted = StunMessage.request(Method.ALLOCATE).build(); // no REQUESTED-TRANSPORT
        CompletableFuture<Exchange> result = transactions.send(crafted);
        assertThat(only()).isSameAs(crafted);

        answer(StunMessage.errorResponse(crafted, ErrorCode.BAD_REQUEST).build());

        assertThat(result.get().response().get(ErrorCode.class).code()).isEqualTo(400);
        assertThat(result.get().transmissions()).isEqualTo(1);
    }

    @Test
    void onlyAResponseToAWaitingTransactionOfTheSameMethodIsTaken() {
        StunMessage request = StunMessage.request(Method.BINDING).build();
        CompletableFuture<Exchange> result = transactions.send(request);
        only();

        assertThat(answer(StunMessage.successResponse(StunMessage.request(Method.BINDING).build()).build())).isFalse();
        assertThat(answer(StunMessage.successResponse(request).build())).isTrue();
        assertThat(answer(StunMessage.successResponse(request).build())).as("a duplicate").isFalse();

        assertThat(result).isCompleted();
        assertThat(transactions.discarded()).isEqualTo(2);
    }

    @Test
    void requestsAreRetransmittedUntilAnsweredAndCancelAllStopsThemWithoutAnAnswer() {
        CompletableFuture<Exchange> result = transactions.send(StunMessage.request(Method.BINDING).build());
        advance(1_600);
        assertThat(written).hasSize(3); // at 0, 500 and 1500 ms

        transactions.cancelAll();
        written.clear();
        advance(60_000);

        assertThat(result).isCancelled();
        assertThat(written).isEmpty();
    }

    private static StunMessage.Builder allocate() {
        return StunMessage.request(Method.ALLOCATE).add(RequestedTransport.UDP);
    }

    private static StunMessage challenge(StunMessage request, ErrorCode error, String nonce) {
        return StunMessage.errorResponse(request, error).add(new Realm("turnlab"), new Nonce(nonce)).build();
    }

    /** The one request written since the last call. */
    private StunMessage only() {
        assertThat(written).hasSize(1);
        return written.remove(0);
    }

    private void advance(long millis) {
        for (long t = 0; t < millis; t += 100) {
            loop.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            loop.runScheduledPendingTasks();
        }
    }

    /** Hands over a response as a socket would: from its wire bytes, so integrity is checked on them. */
    private boolean answer(StunMessage response) {
        return transactions.onResponse(decoded(response));
    }

    private static StunMessage decoded(StunMessage message) {
        ByteBuf wire = StunMessageCodec.encode(message, ByteBufAllocator.DEFAULT);
        try {
            return StunMessageCodec.decode(wire);
        } finally {
            wire.release();
        }
    }
}
