package dev.turnlab.codec;

import static dev.turnlab.codec.Rfc5769VectorsTest.decode;
import static dev.turnlab.codec.Rfc5769VectorsTest.encodeDefault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.attribute.MessageIntegritySha256;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.PasswordAlgorithm;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.UserHash;
import dev.turnlab.codec.auth.IntegrityAlgorithm;
import dev.turnlab.codec.auth.LongTermCredentials;
import dev.turnlab.codec.auth.StringPrep;
import dev.turnlab.codec.auth.UserHashes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * RFC 8489 Appendix B.1: a request with long-term authentication, USERHASH, PASSWORD-ALGORITHM
 * (SHA-256), NONCE, REALM and MESSAGE-INTEGRITY-SHA256.
 *
 * <p>The vector as published is broken: its header announces 0x9c bytes of attributes where 0x88
 * follow, and the PASSWORD-ALGORITHM attribute that §9.2.4 requires is missing. Verified erratum
 * EID 6268 replaces it with a vector whose length is 0x90, which adds PASSWORD-ALGORITHM (SHA-256)
 * and carries a new MAC. The corrected vector is tested bit-exact both ways; of the published one,
 * only what can be checked is tested.
 */
class Rfc8489VectorsTest {

    static final String USERNAME = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
    static final String REALM = "example.org";
    static final String NONCE = "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA";
    static final TransactionId TID = TransactionId.ofHex("78ad3433c6ad72c029da412e");

    static final String HEADER_AND_SHARED_ATTRIBUTES = ""
            + "2112a44278ad3433c6ad72c029da412e"
            + "001e0020" + "4a3cf38fef6992bda952c6780417da0f24819415569e60b205c46e41407f1704" // USERHASH
            + "00150029" + "6f624d61744a6f733241414143662f2f3439396b39353464364f4c33346f4c394653547679363473"
                    + "41000000" // NONCE (41 bytes), padding 00 00 00
            + "0014000b" + "6578616d706c652e6f726700"; // REALM "example.org", padding 00

    // RFC 8489 Appendix B.1 as published.
    static final String PUBLISHED = "0001009c" + HEADER_AND_SHARED_ATTRIBUTES
            + "001c0020" + "e4686c8f0edeb59013e07090010a93efccbccc544c0a45d9f830aa6d6f735a01";

    // RFC 8489 Appendix B.1 as corrected by erratum EID 6268.
    static final String CORRECTED = "00010090" + HEADER_AND_SHARED_ATTRIBUTES
            + "001d0004" + "00020000" // PASSWORD-ALGORITHM: SHA-256, no parameters
            + "001c0020" + "b5c7bf005b6c52a21c51c5e892f81924136296cb927c43149309278cc6518e65";

    // B.1 gives the password as "TheMatrIX" after OpaqueString; see opaqueStringDoesNotYieldTheStatedPassword.
    final byte[] key = LongTermCredentials.key(USERNAME, REALM, "TheMatrIX", PasswordAlgorithm.SHA256);

    @Test
    void theCorrectedVectorDecodesToItsAttributes() {
        StunMessage m = decode(CORRECTED);
        assertThat(m.method()).isEqualTo(Method.BINDING);
        assertThat(m.stunClass()).isEqualTo(StunClass.REQUEST);
        assertThat(m.transactionId()).isEqualTo(TID);
        assertThat(m.attributes()).hasSize(5).startsWith(
                new UserHash(UserHashes.of(USERNAME, REALM)), new Nonce(NONCE), new Realm(REALM),
                PasswordAlgorithm.SHA256);
        assertThat(m.get(MessageIntegritySha256.class).length()).isEqualTo(32);
        assertThat(m.integrityAlgorithm()).contains(IntegrityAlgorithm.HMAC_SHA256);
    }

    @Test
    void theUserHashIsTheSha256OfUsernameAndRealm() {
        assertThat(decode(CORRECTED).get(UserHash.class).value()).isEqualTo(UserHashes.of(USERNAME, REALM));
    }

    @Test
    void theCorrectedIntegrityVerifiesWithTheSha256KeyOnly() {
        StunMessage m = decode(CORRECTED);
        assertThat(key).hasSize(32);
        assertThat(m.verifyIntegrity(key)).isTrue();
        assertThat(m.verifyIntegrity(LongTermCredentials.key(USERNAME, REALM, "TheMatrIX", PasswordAlgorithm.MD5)))
                .isFalse();
        assertThat(m.verifyIntegrity(LongTermCredentials.key(USERNAME, REALM, "TheMatrix", PasswordAlgorithm.SHA256)))
                .isFalse();
    }

    @Test
    void theCorrectedVectorEncodesBitExact() {
        StunMessage m = StunMessage.request(Method.BINDING).transactionId(TID)
                .add(new UserHash(UserHashes.of(USERNAME, REALM)), new Nonce(NONCE), new Realm(REALM),
                        PasswordAlgorithm.SHA256)
                .integritySha256(key).build();
        assertThat(encodeDefault(m)).isEqualTo(CORRECTED);
    }

    @Test
    void thePublishedVectorIsRejectedForItsLength() {
        ByteBuf buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex(PUBLISHED));
        try {
            assertThatThrownBy(() -> StunMessageCodec.decode(buf)).isInstanceOf(StunCodecException.class)
                    .hasMessageContaining("header says 156 bytes of attributes, 136 present");
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void thePublishedMacCoversThePrintedBytesUnderThePrintedLength() {
        // What can be checked of the published MAC: it is the HMAC-SHA256, under the same key, of
        // the printed bytes before MESSAGE-INTEGRITY-SHA256 with the printed length 0x9c, where
        // §14.6 wants the length to end at the MAC (0x88). Key and covered bytes are as printed;
        // only the length field disagrees with §14.6, and the decoder rightly refuses the message.
        byte[] published = HexFormat.of().parseHex(PUBLISHED);
        int macOffset = published.length - 36;
        byte[] mac = IntegrityAlgorithm.HMAC_SHA256.compute(key, ByteBuffer.wrap(published, 0, macOffset));
        assertThat(HexFormat.of().formatHex(mac)).isEqualTo(PUBLISHED.substring(2 * (macOffset + 4)));
    }

    @Test
    void opaqueStringDoesNotYieldTheStatedPassword() {
        // B.1 says "The<U+00AD>M<U+00AA>tr<U+2168>" becomes "TheMatrIX" under OpaqueString. That is
        // SASLprep's result (RFC 5769 §2.4): OpaqueString disallows the soft hyphen, a
        // Default_Ignorable_Code_Point (RFC 8264 §9.13), and its NFC keeps U+00AA and U+2168.
        String raw = "The\u00ADM\u00AAtr\u2168";
        assertThat(StringPrep.saslPrep(raw)).isEqualTo("TheMatrIX");
        assertThatThrownBy(() -> StringPrep.opaqueString(raw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 3");
        assertThat(StringPrep.opaqueString("TheM\u00AAtr\u2168")).isEqualTo("TheM\u00AAtr\u2168");
    }
}
