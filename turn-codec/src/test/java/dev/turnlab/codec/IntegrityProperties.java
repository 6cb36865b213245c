package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.PasswordAlgorithm;
import dev.turnlab.codec.attribute.Priority;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.attribute.XorMappedAddress;
import dev.turnlab.codec.auth.IntegrityAlgorithm;
import dev.turnlab.codec.auth.LongTermCredentials;
import dev.turnlab.codec.auth.ShortTermCredentials;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Message integrity (RFC 8489 §9.1.3, §9.2.4, §14.5, §14.6) as properties: it verifies exactly
 * when the key matches, and no single flipped bit in the covered bytes or in the MAC goes unnoticed.
 */
class IntegrityProperties {

    @Property(tries = 300)
    void integrityVerifiesIffTheKeysAreTheSameHmacKey(@ForAll("messages") StunMessage.Builder message,
            @ForAll IntegrityAlgorithm algorithm, @ForAll("keyPairs") byte[][] keys) {
        StunMessage received = roundTrip(withIntegrity(message, algorithm, keys[0]));
        assertThat(received.integrityAlgorithm()).contains(algorithm);
        assertThat(received.verifyIntegrity(keys[0])).isTrue();
        assertThat(received.verifyIntegrity(keys[1])).isEqualTo(sameHmacKey(keys[0], keys[1]));
    }

    @Property(tries = 200)
    void shortTermIntegrityVerifiesIffThePasswordMatches(@ForAll("messages") StunMessage.Builder message,
            @ForAll IntegrityAlgorithm algorithm, @ForAll("passwords") String password,
            @ForAll("passwords") String tried) {
        StunMessage received = roundTrip(withIntegrity(message, algorithm, ShortTermCredentials.key(password)));
        assertThat(received.verifyIntegrity(ShortTermCredentials.key(tried))).isEqualTo(tried.equals(password));
        assertThat(received.verifyIntegrity(ShortTermCredentials.key(password))).isTrue();
    }

    @Property(tries = 200)
    void longTermIntegrityVerifiesIffTheCredentialsMatch(@ForAll("messages") StunMessage.Builder message,
            @ForAll boolean sha256, @ForAll("credentials") List<String> sent, @ForAll("credentials") List<String> tried) {
        // MD5 keys sign MESSAGE-INTEGRITY, SHA-256 keys MESSAGE-INTEGRITY-SHA256 (RFC 8489 §9.2.2).
        message.add(new Username(sent.get(0)), new Realm(sent.get(1)));
        PasswordAlgorithm algorithm = sha256 ? PasswordAlgorithm.SHA256 : PasswordAlgorithm.MD5;
        byte[] key = longTermKey(sent, algorithm);
        StunMessage received = roundTrip(sha256 ? message.integritySha256(key) : message.integrity(key));
        assertThat(received.verifyIntegrity(longTermKey(sent, algorithm))).isTrue();
        assertThat(received.verifyIntegrity(longTermKey(tried, algorithm))).isEqualTo(tried.equals(sent));
    }

    @Property(tries = 500)
    void aFlippedBitBeforeTheMacIsDetected(@ForAll("messages") StunMessage.Builder message,
            @ForAll IntegrityAlgorithm algorithm, @ForAll("keys") byte[] key, @ForAll @IntRange(min = 0) int seed) {
        byte[] wire = encode(withIntegrity(message, algorithm, key));
        int macStart = wire.length - algorithm.length();
        assertFlipDetected(wire, seed % (macStart * 8), key);
    }

    @Property(tries = 500)
    void aFlippedBitInTheMacIsDetected(@ForAll("messages") StunMessage.Builder message,
            @ForAll IntegrityAlgorithm algorithm, @ForAll("keys") byte[] key, @ForAll @IntRange(min = 0) int seed) {
        byte[] wire = encode(withIntegrity(message, algorithm, key));
        int macStart = wire.length - algorithm.length();
        assertFlipDetected(wire, macStart * 8 + seed % (algorithm.length() * 8), key);
    }

    /** Decoding the flipped message throws the codec exception, or its integrity no longer verifies. */
    static void assertFlipDetected(byte[] wire, int bit, byte[] key) {
        byte[] flipped = wire.clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        ByteBuf buf = Unpooled.wrappedBuffer(flipped);
        try {
            StunMessage m = StunMessageCodec.decode(buf);
            assertThat(m.verifyIntegrity(key)).as("bit %d of %d bytes", bit, wire.length).isFalse();
        } catch (StunCodecException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } finally {
            buf.release();
        }
    }

    static StunMessage withIntegrity(StunMessage.Builder message, IntegrityAlgorithm algorithm, byte[] key) {
        return (algorithm == IntegrityAlgorithm.HMAC_SHA1 ? message.integrity(key) : message.integritySha256(key)).build();
    }

    static StunMessage roundTrip(StunMessage.Builder message) {
        return roundTrip(message.build());
    }

    static StunMessage roundTrip(StunMessage message) {
        ByteBuf buf = Unpooled.wrappedBuffer(encode(message));
        try {
            return StunMessageCodec.decode(buf);
        } finally {
            buf.release();
        }
    }

    static byte[] encode(StunMessage message) {
        ByteBuf out = Unpooled.buffer();
        try {
            StunMessageCodec.encode(message, out);
            return ByteBufs.bytes(out);
        } finally {
            out.release();
        }
    }

    static byte[] longTermKey(List<String> credentials, PasswordAlgorithm algorithm) {
        return LongTermCredentials.key(credentials.get(0), credentials.get(1), credentials.get(2), algorithm);
    }

    /**
     * HMAC pads keys up to the hash's 64-byte block with zeros (RFC 2104 §2), so keys of at most
     * 64 bytes that differ only in trailing zeros are the same key.
     */
    static boolean sameHmacKey(byte[] a, byte[] b) {
        return Arrays.equals(withoutTrailingZeros(a), withoutTrailingZeros(b));
    }

    static byte[] withoutTrailingZeros(byte[] key) {
        int end = key.length;
        while (end > 0 && key[end - 1] == 0) {
            end--;
        }
        return Arrays.copyOf(key, end);
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(64);
    }

    /** A key and a second key: the same, zero-extended, with one bit flipped, or unrelated. */
    @Provide
    Arbitrary<byte[][]> keyPairs() {
        return keys().flatMap(key -> Arbitraries.oneOf(
                Arbitraries.just(key.clone()),
                Arbitraries.integers().between(1, 64 - Math.min(key.length, 63))
                        .map(extra -> Arrays.copyOf(key, Math.min(64, key.length + extra))),
                key.length == 0 ? Arbitraries.just(new byte[] {1})
                        : Arbitraries.integers().between(0, key.length * 8 - 1).map(bit -> flip(key, bit)),
                keys())
                .map(other -> new byte[][] {key, other}));
    }

    static byte[] flip(byte[] key, int bit) {
        byte[] flipped = key.clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        return flipped;
    }

    /** Printable ASCII passwords, which OpaqueString leaves as they are; short, so that they collide. */
    @Provide
    Arbitrary<String> passwords() {
        return Arbitraries.strings().withCharRange('!', '~').withChars(' ').ofMinLength(1).ofMaxLength(3);
    }

    /** User name, realm and password, without colons so that distinct triples hash distinct strings. */
    @Provide
    Arbitrary<List<String>> credentials() {
        Arbitrary<String> part = Arbitraries.strings().withChars("abAB01-._").ofMinLength(1).ofMaxLength(2);
        return part.list().ofSize(3);
    }

    @Provide
    Arbitrary<StunMessage.Builder> messages() {
        Arbitrary<StunAttribute> attribute = Arbitraries.oneOf(
                text().map(Software::new), text().map(Nonce::new), text().map(Realm::new),
                Arbitraries.longs().between(0, 0xFFFFFFFFL).map(Priority::new), addresses().map(XorMappedAddress::new));
        return Combinators.combine(
                Arbitraries.of(Method.BINDING, Method.ALLOCATE, Method.REFRESH),
                Arbitraries.of(StunClass.class),
                attribute.list().ofMaxSize(5))
                .as((method, stunClass, attributes) -> StunMessage.builder(method, stunClass).addAll(attributes));
    }

    static Arbitrary<String> text() {
        return Arbitraries.strings().alpha().numeric().withChars(" /+=").ofMaxLength(23);
    }

    static Arbitrary<InetSocketAddress> addresses() {
        Arbitrary<byte[]> ip = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofSize(4), Arbitraries.bytes().array(byte[].class).ofSize(16));
        return Combinators.combine(ip, Arbitraries.integers().between(0, 0xFFFF))
                .as((address, port) -> new InetSocketAddress(inet(address), port));
    }

    static InetAddress inet(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
