package dev.turnlab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.attribute.XorMappedAddress;
import dev.turnlab.codec.attribute.XorRelayedAddress;
import dev.turnlab.codec.auth.LongTermCredentials;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The stand-in answers the setup's requests as a server would, so that rehearsing runs the client's real path. */
class SetupRehearsalTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final String REALM = "turnlab.test";
    private static final byte[] KEY = LongTermCredentials.key("u", REALM, "p");

    private static StunMessage allocate(byte[] key) {
        StunMessage.Builder request = StunMessage.request(Method.ALLOCATE).add(RequestedTransport.UDP);
        return wire(key == null ? request.build()
                : request.add(new Username("u"), new Realm(REALM), new Nonce("rehearsal")).integrity(key).fingerprint()
                        .build());
    }

    /** {@code message} as the other side reads it: integrity is verified over the bytes received. */
    private static StunMessage wire(StunMessage message) {
        ByteBuf bytes = StunMessageCodec.encode(message, UnpooledByteBufAllocator.DEFAULT);
        try {
            return StunMessageCodec.decode(bytes);
        } finally {
            bytes.release();
        }
    }

    private static StunMessage answer(StunMessage request) {
        return wire(SetupRehearsal.answer(request, CLIENT, REALM, KEY));
    }

    @Test
    void anUnsignedRequestIsChallengedWithRealmAndNonce() {
        StunMessage answer = answer(allocate(null));

        assertThat(answer.stunClass()).isEqualTo(StunClass.ERROR_RESPONSE);
        assertThat(answer.get(ErrorCode.class).code()).isEqualTo(401);
        assertThat(answer.get(Realm.class).value()).isEqualTo(REALM);
        assertThat(answer.get(Nonce.class)).isNotNull();
        assertThat(answer.hasIntegrity()).isFalse();
    }

    @Test
    void aRequestSignedWithAnotherKeyIsChallengedAgain() {
        StunMessage answer = answer(allocate(LongTermCredentials.key("u", REALM, "wrong")));

        assertThat(answer.get(ErrorCode.class).code()).isEqualTo(401);
    }

    @Test
    void aSignedAllocateGetsASignedSuccessWithTheAddressesAndLifetime() {
        StunMessage request = allocate(KEY);
        StunMessage answer = answer(request);

        assertThat(answer.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(answer.method()).isEqualTo(Method.ALLOCATE);
        assertThat(answer.transactionId()).isEqualTo(request.transactionId());
        assertThat(answer.get(XorRelayedAddress.class)).isNotNull();
        assertThat(answer.get(XorMappedAddress.class).address()).isEqualTo(CLIENT);
        assertThat(answer.get(Lifetime.class)).isEqualTo(Lifetime.ofSeconds(Session.LIFETIME_SECONDS));
        assertThat(answer.get(Software.class)).isNotNull();
        assertThat(answer.hasFingerprint()).isTrue();
        // What turn-client's transactions check of a success before they accept it (RFC 8489 §9.2.5).
        assertThat(answer.verifyIntegrity(KEY)).isTrue();
    }

    @Test
    void aSignedChannelBindGetsASignedSuccessWithoutAllocateAttributes() {
        StunMessage request = StunMessage.request(Method.CHANNEL_BIND)
                .add(new Username("u"), new Realm(REALM), new Nonce("rehearsal")).integrity(KEY).build();
        request = wire(request);
        StunMessage answer = answer(request);

        assertThat(answer.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(answer.method()).isEqualTo(Method.CHANNEL_BIND);
        assertThat(answer.get(XorRelayedAddress.class)).isNull();
        assertThat(answer.hasFingerprint()).isFalse();
        assertThat(answer.verifyIntegrity(KEY)).isTrue();
    }
}
