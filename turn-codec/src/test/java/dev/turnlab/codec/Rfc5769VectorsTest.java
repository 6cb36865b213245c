package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.attribute.Fingerprint;
import dev.turnlab.codec.attribute.IceControlled;
import dev.turnlab.codec.attribute.MessageIntegrity;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Priority;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.attribute.XorMappedAddress;
import dev.turnlab.codec.auth.FingerprintCrc;
import dev.turnlab.codec.auth.LongTermCredentials;
import dev.turnlab.codec.auth.ShortTermCredentials;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The four test vectors of RFC 5769 §2: each decodes to the attributes the RFC lists, its
 * integrity verifies with the right key only, its fingerprint checks, and the builder reproduces
 * its bytes exactly.
 */
class Rfc5769VectorsTest {

    // RFC 5769 §2.1-§2.3: the short-term password (ICE-style), used as the key as it is.
    static final String SHORT_TERM_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";
    static final TransactionId TID_2_1 = TransactionId.ofHex("b7e7a701bc34d686fa87dfae");

    // RFC 5769 §2.1, sample request. Its padding bytes are 0x20 (USERNAME).
    static final String REQUEST = ""
            + "000100582112a442b7e7a701bc34d686fa87dfae"
            + "80220010" + "5354554e207465737420636c69656e74" // SOFTWARE "STUN test client"
            + "00240004" + "6e0001ff" // PRIORITY
            + "80290008" + "932ff9b151263b36" // ICE-CONTROLLED
            + "00060009" + "6576746a3a68367659202020" // USERNAME "evtj:h6vY", padding 0x20
            + "00080014" + "9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2" // MESSAGE-INTEGRITY
            + "80280004" + "e57a3bcf"; // FINGERPRINT

    // RFC 5769 §2.2, sample IPv4 response (SOFTWARE padded with 0x20).
    static final String RESPONSE_IPV4 = ""
            + "0101003c2112a442b7e7a701bc34d686fa87dfae"
            + "8022000b" + "7465737420766563746f7220" // SOFTWARE "test vector", padding 0x20
            + "00200008" + "0001a147e112a643" // XOR-MAPPED-ADDRESS 192.0.2.1:32853
            + "00080014" + "2b91f599fd9e90c38c7489f92af9ba53f06be7d7"
            + "80280004" + "c07d4c96";

    // RFC 5769 §2.3, sample IPv6 response.
    static final String RESPONSE_IPV6 = ""
            + "010100482112a442b7e7a701bc34d686fa87dfae"
            + "8022000b" + "7465737420766563746f7220"
            + "00200014" + "0002a1470113a9faa5d3f179bc25f4b5bed2b9d9" // [2001:db8:1234:5678:11:2233:4455:6677]:32853
            + "00080014" + "a382954e4be67bf11784c97c8292c275bfe3ed41"
            + "80280004" + "c8fb0b4c";

    // RFC 5769 §2.4, sample request with long-term authentication. Unlike §2.1-§2.3 it pads with zeros.
    static final String REQUEST_LONG_TERM = ""
            + "000100602112a44278ad3433c6ad72c029da412e"
            + "00060012" + "e3839ee38388e383aae38383e382afe382b90000" // USERNAME (18 bytes), padding 00 00
            + "0015001c" + "662f2f3439396b39353464364f4c33346f4c39465354767936347341" // NONCE
            + "0014000b" + "6578616d706c652e6f726700" // REALM "example.org", padding 00
            + "00080014" + "f67024656dd64a3e02b8e0712e85c9a28ca89666";

    static final String USERNAME_2_4 = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
    // RFC 5769 §2.4: the password before SASLprep; after it, "TheMatrIX".
    static final String PASSWORD_2_4 = "The\u00ADM\u00AAtr\u2168";
    static final String NONCE_2_4 = "f//499k954d6OL34oL9FSTvy64sA";

    static final byte SPACE = 0x20;

    @Nested
    class SampleRequest {

        final byte[] key = ShortTermCredentials.key(SHORT_TERM_PASSWORD);

        @Test
        void decodesToItsAttributes() {
            StunMessage m = decode(REQUEST);
            assertThat(m.method()).isEqualTo(Method.BINDING);
            assertThat(m.stunClass()).isEqualTo(StunClass.REQUEST);
            assertThat(m.transactionId()).isEqualTo(TID_2_1);
            assertThat(m.attributes()).hasSize(6).startsWith(
                    new Software("STUN test client"), new Priority(0x6e0001ffL),
                    new IceControlled(0x932ff9b151263b36L), new Username("evtj:h6vY"));
        }

        @Test
        void integrityVerifiesWithThePasswordOnly() {
            StunMessage m = decode(REQUEST);
            assertThat(m.verifyIntegrity(key)).isTrue();
            assertThat(m.verifyIntegrity(ShortTermCredentials.key("VOkJxbRl1RmTxUk/WvJxBT"))).isFalse();
        }

        @Test
        void fingerprintChecks() {
            assertFingerprint(REQUEST, 0xe57a3bcf);
        }

        @Test
        void encodesBitExactWithSpacePadding() {
            StunMessage m = StunMessage.request(Method.BINDING).transactionId(TID_2_1)
                    .add(new Software("STUN test client"), new Priority(0x6e0001ffL),
                            new IceControlled(0x932ff9b151263b36L), new Username("evtj:h6vY"))
                    .integrity(key).fingerprint().build();
            assertThat(encode(m, SPACE)).isEqualTo(REQUEST);
        }
    }

    @Nested
    class SampleIpv4Response {

        final byte[] key = ShortTermCredentials.key(SHORT_TERM_PASSWORD);
        final InetSocketAddress mapped = new InetSocketAddress("192.0.2.1", 32853);

        @Test
        void decodesToItsAttributes() {
            StunMessage m = decode(RESPONSE_IPV4);
            assertThat(m.method()).isEqualTo(Method.BINDING);
            assertThat(m.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(m.attributes()).hasSize(4).startsWith(new Software("test vector"), new XorMappedAddress(mapped));
        }

        @Test
        void integrityVerifiesWithThePasswordOnly() {
            StunMessage m = decode(RESPONSE_IPV4);
            assertThat(m.verifyIntegrity(key)).isTrue();
            assertThat(m.verifyIntegrity(ShortTermCredentials.key("VOkJxbRl1RmTxUk/WvJxB"))).isFalse();
        }

        @Test
        void fingerprintChecks() {
            assertFingerprint(RESPONSE_IPV4, 0xc07d4c96);
        }

        @Test
        void encodesBitExactWithSpacePadding() {
            StunMessage m = StunMessage.builder(Method.BINDING, StunClass.SUCCESS_RESPONSE).transactionId(TID_2_1)
                    .add(new Software("test vector"), new XorMappedAddress(mapped))
                    .integrity(key).fingerprint().build();
            assertThat(encode(m, SPACE)).isEqualTo(RESPONSE_IPV4);
        }
    }

    @Nested
    class SampleIpv6Response {

        final byte[] key = ShortTermCredentials.key(SHORT_TERM_PASSWORD);
        final InetSocketAddress mapped = new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853);

        @Test
        void decodesToItsAttributes() {
            StunMessage m = decode(RESPONSE_IPV6);
            assertThat(m.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(m.attributes()).hasSize(4).startsWith(new Software("test vector"), new XorMappedAddress(mapped));
        }

        @Test
        void integrityVerifiesWithThePasswordOnly() {
            StunMessage m = decode(RESPONSE_IPV6);
            assertThat(m.verifyIntegrity(key)).isTrue();
            assertThat(m.verifyIntegrity(new byte[20])).isFalse();
        }

        @Test
        void fingerprintChecks() {
            assertFingerprint(RESPONSE_IPV6, 0xc8fb0b4c);
        }

        @Test
        void encodesBitExactWithSpacePadding() {
            StunMessage m = StunMessage.builder(Method.BINDING, StunClass.SUCCESS_RESPONSE).transactionId(TID_2_1)
                    .add(new Software("test vector"), new XorMappedAddress(mapped))
                    .integrity(key).fingerprint().build();
            assertThat(encode(m, SPACE)).isEqualTo(RESPONSE_IPV6);
        }
    }

    @Nested
    class SampleRequestWithLongTermAuthentication {

        // MD5("<username>:example.org:TheMatrIX"): SASLprep maps the soft hyphen to nothing and
        // NFKC turns U+00AA into "a" and U+2168 into "IX" (RFC 5769 §2.4).
        final byte[] key = LongTermCredentials.key(USERNAME_2_4, "example.org", PASSWORD_2_4);
        final TransactionId tid = TransactionId.ofHex("78ad3433c6ad72c029da412e");

        @Test
        void theKeyIsTheMd5OfTheSaslPreppedCredentials() {
            assertThat(key).isEqualTo(LongTermCredentials.key(USERNAME_2_4, "example.org", "TheMatrIX"));
            assertThat(key).hasSize(16);
        }

        @Test
        void decodesToItsAttributes() {
            StunMessage m = decode(REQUEST_LONG_TERM);
            assertThat(m.transactionId()).isEqualTo(tid);
            assertThat(m.attributes()).hasSize(4).startsWith(
                    new Username(USERNAME_2_4), new Nonce(NONCE_2_4), new Realm("example.org"));
            assertThat(m.get(MessageIntegrity.class)).isNotNull();
            assertThat(m.hasFingerprint()).isFalse();
        }

        @Test
        void integrityVerifiesWithTheSaslPreppedKeyOnly() {
            StunMessage m = decode(REQUEST_LONG_TERM);
            assertThat(m.verifyIntegrity(key)).isTrue();
            // Without SASLprep the key differs, and so does the MAC.
            byte[] unprepared = md5(USERNAME_2_4 + ":example.org:" + PASSWORD_2_4);
            assertThat(m.verifyIntegrity(unprepared)).isFalse();
            assertThat(m.verifyIntegrity(LongTermCredentials.key(USERNAME_2_4, "example.com", PASSWORD_2_4))).isFalse();
        }

        @Test
        void encodesBitExactWithZeroPadding() {
            StunMessage m = StunMessage.request(Method.BINDING).transactionId(tid)
                    .add(new Username(USERNAME_2_4), new Nonce(NONCE_2_4), new Realm("example.org"))
                    .integrity(key).build();
            assertThat(encode(m, (byte) 0)).isEqualTo(REQUEST_LONG_TERM);
            assertThat(encodeDefault(m)).isEqualTo(REQUEST_LONG_TERM);
        }
    }

    @Test
    void aCorruptedFingerprintIsRejected() {
        byte[] bytes = HexFormat.of().parseHex(RESPONSE_IPV4);
        bytes[bytes.length - 1] ^= 1;
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            assertThatThrownBy(() -> StunMessageCodec.decode(buf))
                    .isInstanceOf(StunCodecException.class).hasMessageContaining("FINGERPRINT mismatch");
        } finally {
            buf.release();
        }
    }

    static StunMessage decode(String hex) {
        ByteBuf buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
        try {
            StunMessage m = StunMessageCodec.decode(buf);
            assertThat(buf.isReadable()).isFalse();
            return m;
        } finally {
            buf.release();
        }
    }

    static String encode(StunMessage m, byte paddingByte) {
        ByteBuf out = Unpooled.buffer();
        try {
            StunMessageCodec.encode(m, out, paddingByte);
            return HexFormat.of().formatHex(ByteBufs.bytes(out));
        } finally {
            out.release();
        }
    }

    static String encodeDefault(StunMessage m) {
        ByteBuf out = Unpooled.buffer();
        try {
            StunMessageCodec.encode(m, out);
            return HexFormat.of().formatHex(ByteBufs.bytes(out));
        } finally {
            out.release();
        }
    }

    /** The decoded FINGERPRINT equals the vector's and the CRC-32 of what precedes it. */
    static void assertFingerprint(String hex, int expected) {
        StunMessage m = decode(hex);
        assertThat(m.get(Fingerprint.class).crc()).isEqualTo(expected);
        byte[] bytes = HexFormat.of().parseHex(hex);
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            assertThat(FingerprintCrc.compute(buf, 0, bytes.length - 8)).isEqualTo(expected);
        } finally {
            buf.release();
        }
    }

    static byte[] md5(String s) {
        try {
            return MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
