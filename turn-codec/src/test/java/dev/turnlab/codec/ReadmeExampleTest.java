package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.auth.LongTermCredentials;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The codec example of the top-level README, as it is printed there. */
class ReadmeExampleTest {

    @Test
    void authenticatedAllocateRoundTrip() {
        // --- README: begin
        byte[] key = LongTermCredentials.key("expturncreds", "TANDBERG", "secret");
        StunMessage allocate = StunMessage.request(Method.ALLOCATE)
                .add(RequestedTransport.UDP, new Username("expturncreds"), new Realm("TANDBERG"), new Nonce("n0nce"))
                .integrity(key)          // MESSAGE-INTEGRITY, computed when encoded
                .fingerprint()           // FINGERPRINT, always last
                .build();
        ByteBuf wire = StunMessageCodec.encode(allocate, ByteBufAllocator.DEFAULT);

        StunMessage received = StunMessageCodec.decode(wire);   // throws StunCodecException if malformed
        wire.release();
        boolean authentic = received.verifyIntegrity(key);   // constant-time HMAC check
        StunMessage answer = authentic
                ? StunMessage.successResponse(received).build()
                : StunMessage.errorResponse(received, ErrorCode.INTEGRITY_CHECK_FAILURE).build();
        // --- README: end
        assertThat(authentic).isTrue();
        assertThat(answer.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(received.get(Username.class).value()).isEqualTo("expturncreds");
        assertThat(received.verifyIntegrity(LongTermCredentials.key("expturncreds", "TANDBERG", "wrong"))).isFalse();
    }
}
