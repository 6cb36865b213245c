package dev.turnlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.auth.LongTermCredentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The long-term credential mechanism's challenges (RFC 8489 §9.2.5) answered against scripted answers. */
class LongTermAuthChallengeTest {

    private static final byte[] KEY = LongTermCredentials.key("alice", "turnlab", "alice-secret");

    private final List<String> sent = new ArrayList<>();

    /** Answers the n-th request with the n-th function of {@code answers}, noting what was sent. */
    @SafeVarargs
    private BiFunction<StunMessage, byte[], CompletableFuture<Exchange>> server(Function<StunMessage, StunMessage>... answers) {
        return (request, key) -> {
            String user = request.attribute(Username.class).map(Username::value).orElse("unsigned");
            String nonce = request.attribute(Nonce.class).map(Nonce::value).orElse("-");
            sent.add(user + " " + nonce + (key == null ? "" : " keyed"));
            StunMessage response = answers[Math.min(sent.size(), answers.length) - 1].apply(request);
            return CompletableFuture.completedFuture(new Exchange(response, Duration.ofMillis(1), 1));
        };
    }

    private static Function<StunMessage, StunMessage> error(int code, String nonce) {
        return request -> StunMessage.errorResponse(request, new ErrorCode(code, "")).add(new Realm("turnlab"),
                new Nonce(nonce)).build();
    }

    private static StunMessage success(StunMessage request) {
        return StunMessage.successResponse(request).build();
    }

    private static StunMessage allocate(LongTermAuth auth, BiFunction<StunMessage, byte[], CompletableFuture<Exchange>> server) {
        return auth.transact(() -> StunMessage.request(Method.ALLOCATE), server).join().response();
    }

    @Test
    void a401IsAnsweredOnceWithASignedRequest() {
        LongTermAuth auth = new LongTermAuth("alice", "alice-secret");

        StunMessage answer = allocate(auth, server(error(401, "n1"), LongTermAuthChallengeTest::success));

        assertThat(TurnResult.isError(answer)).isFalse();
        assertThat(sent).containsExactly("unsigned -", "alice n1 keyed");
        assertThat(auth.key()).isEqualTo(KEY);
    }

    @Test
    void a401ToASignedRequestIsFinal() {
        LongTermAuth auth = new LongTermAuth("alice", "wrong");

        StunMessage answer = allocate(auth, server(error(401, "n1"), error(401, "n2")));

        assertThat(answer.get(ErrorCode.class).code()).isEqualTo(401);
        assertThat(sent).containsExactly("unsigned -", "alice n1 keyed");
    }

    @Test
    void staleNoncesAreAnsweredAFewTimesThenReported() {
        LongTermAuth auth = new LongTermAuth("alice", "alice-secret");

        StunMessage answer = allocate(auth, server(error(401, "n1"), error(438, "n2"), error(438, "n3"),
                error(438, "n4"), error(438, "n5")));

        assertThat(answer.get(ErrorCode.class).code()).isEqualTo(438);
        assertThat(sent).containsExactly("unsigned -", "alice n1 keyed", "alice n2 keyed", "alice n3 keyed",
                "alice n4 keyed");
        assertThat(LongTermAuth.STALE_NONCE_RETRIES).isEqualTo(3);
    }

    @Test
    void onceAnsweredLaterRequestsGoOutSignedAtOnce() {
        LongTermAuth auth = new LongTermAuth("alice", "alice-secret");
        allocate(auth, server(error(401, "n1"), LongTermAuthChallengeTest::success));
        sent.clear();

        allocate(auth, server(LongTermAuthChallengeTest::success));

        assertThat(sent).containsExactly("alice n1 keyed");
    }

    @Test
    void withoutCredentialsTheChallengeIsTheAnswer() {
        LongTermAuth auth = new LongTermAuth(null, null);

        StunMessage answer = allocate(auth, server(error(401, "n1")));

        assertThat(answer.get(ErrorCode.class).code()).isEqualTo(401);
        assertThat(sent).containsExactly("unsigned -");
    }
}
