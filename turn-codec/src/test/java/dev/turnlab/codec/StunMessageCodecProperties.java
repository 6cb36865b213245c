package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.attribute.AttributeCodec;
import dev.turnlab.codec.attribute.Fingerprint;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.UnknownAttribute;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The codec's laws (RFC 8489 §5, §14): encoding then decoding is the identity, FINGERPRINT and
 * integrity are computed and checked, and any bytes at all give a message or one
 * {@link StunCodecException}, never another exception, never a leaked or released buffer.
 */
class StunMessageCodecProperties {

    @Property
    void decodingAnEncodingGivesTheMessageBack(@ForAll("plainMessages") StunMessage m, @ForAll BufferKind kind) {
        ByteBuf wire = kind.allocate();
        try {
            StunMessageCodec.encode(m, wire);
            assertThat(wire.readableBytes() % 4).isZero();
            assertThat(wire.getUnsignedShort(2)).isEqualTo(wire.readableBytes() - StunMessageCodec.HEADER_LENGTH);
            assertThat(StunMessageCodec.decode(wire)).isEqualTo(m);
            assertThat(wire.refCnt()).isEqualTo(1);
        } finally {
            wire.release();
        }
    }

    @Property
    void aRequestedFingerprintIsAppendedLastAndAccepted(@ForAll("plainMessages") StunMessage m) {
        StunMessage decoded = roundTrip(m.toBuilder().fingerprint().build());
        List<StunAttribute> attributes = decoded.attributes();
        assertThat(attributes).hasSize(m.attributes().size() + 1);
        assertThat(attributes.subList(0, m.attributes().size())).isEqualTo(m.attributes());
        assertThat(attributes.get(attributes.size() - 1)).isInstanceOf(Fingerprint.class);
        assertThat(decoded.method()).isEqualTo(m.method());
        assertThat(decoded.stunClass()).isEqualTo(m.stunClass());
        assertThat(decoded.transactionId()).isEqualTo(m.transactionId());
    }

    @Property(tries = 300)
    void integrityVerifiesWithTheKeyAndOnlyWithIt(@ForAll("plainMessages") StunMessage m,
            @ForAll("keys") byte[] key, @ForAll("integrityChoices") int choice, @ForAll boolean fingerprint) {
        StunMessage.Builder b = m.toBuilder();
        if ((choice & 1) != 0) {
            b.integrity(key);
        }
        if ((choice & 2) != 0) {
            b.integritySha256(key);
        }
        StunMessage decoded = roundTrip(fingerprint ? b.fingerprint().build() : b.build());
        // A longer key with a non-zero byte is a different HMAC key (RFC 2104 §2 pads with zeros).
        byte[] wrong = Arrays.copyOf(key, key.length + 1);
        wrong[key.length] = 1;
        assertThat(decoded.verifyIntegrity(key)).isTrue();
        assertThat(decoded.verifyIntegrity(wrong)).isFalse();
        assertThat(decoded.toBuilder().build()).isEqualTo(m);
    }

    @Property
    void everyAttributeRecordSurvivesItsCodec(@ForAll("attributes") StunAttribute a,
            @ForAll("transactionIds") TransactionId tid) {
        ByteBuf out = Unpooled.buffer();
        try {
            AttributeCodec.encode(a, out, tid);
            int code = out.readUnsignedShort();
            int length = out.readUnsignedShort();
            assertThat(code).isEqualTo(a instanceof UnknownAttribute u ? u.code() : a.type().code());
            assertThat(out.readableBytes()).isEqualTo(length + AttributeCodec.padding(length));
            assertThat(AttributeCodec.decode(code, out, length, tid)).isEqualTo(a);
            assertThat(out.readableBytes()).isEqualTo(AttributeCodec.padding(length));
        } finally {
            out.release();
        }
    }

    @Property
    void anyBytesGiveAMessageOrTheCodecException(@ForAll("junk") byte[] bytes, @ForAll BufferKind kind) {
        decodeOrRefuse(bytes, kind);
    }

    @Property
    void headerShapedJunkGivesAMessageOrTheCodecException(@ForAll("plausibleJunk") byte[] bytes,
            @ForAll BufferKind kind) {
        Statistics.label("outcome").collect(decodeOrRefuse(bytes, kind) ? "message" : "refused");
    }

    @Property
    void randomValuesOfEveryAttributeTypeGiveAMessageOrTheCodecException(@ForAll("rawMessages") StunMessage raw,
            @ForAll BufferKind kind) {
        Statistics.label("outcome").collect(decodeOrRefuse(encode(raw), kind) ? "message" : "refused");
        Statistics.label("outcome").coverage(c -> {
            c.check("message").percentage(p -> p > 5);
            c.check("refused").percentage(p -> p > 5);
        });
    }

    @Property(tries = 500)
    void mutatedEncodingsGiveAMessageOrTheCodecException(@ForAll("messages") StunMessage m,
            @ForAll("mutations") List<Mutation> mutations, @ForAll BufferKind kind) {
        boolean decoded = decodeOrRefuse(Mutation.applyAll(encode(m), mutations), kind);
        Statistics.label("outcome").collect(decoded ? "message" : "refused");
        Statistics.label("outcome").coverage(c -> {
            c.check("message").percentage(p -> p > 1);
            c.check("refused").percentage(p -> p > 50);
        });
    }

    /**
     * Decodes {@code bytes} and checks the contract: a message that consumed every byte and
     * re-encodes to itself, or one {@link StunCodecException} with a reason that left the reader
     * index where it was and names the transaction whenever a header was readable. The input is
     * never released or retained by the codec; this method releases it.
     */
    static boolean decodeOrRefuse(byte[] bytes, BufferKind kind) {
        ByteBuf in = kind.copyOf(bytes);
        try {
            StunMessage decoded;
            try {
                decoded = StunMessageCodec.decode(in);
            } catch (StunCodecException e) {
                assertThat(e.getMessage()).isNotBlank();
                assertThat(in.readerIndex()).isZero();
                assertThat(e.hasHeader()).isEqualTo(bytes.length >= 20 && (bytes[0] & 0xC0) == 0);
                decoded = null;
            }
            assertThat(in.refCnt()).isEqualTo(1);
            if (decoded != null) {
                assertThat(in.isReadable()).isFalse();
                StunMessage again = decoded.toBuilder().build();
                assertThat(roundTrip(again)).isEqualTo(again);
            }
            return decoded != null;
        } finally {
            in.release();
        }
    }

    static byte[] encode(StunMessage m) {
        ByteBuf out = Unpooled.buffer();
        try {
            StunMessageCodec.encode(m, out);
            byte[] b = new byte[out.readableBytes()];
            out.readBytes(b);
            return b;
        } finally {
            out.release();
        }
    }

    static StunMessage roundTrip(StunMessage m) {
        ByteBuf wire = StunMessageCodec.encode(m, PooledByteBufAllocator.DEFAULT);
        try {
            return StunMessageCodec.decode(wire);
        } finally {
            wire.release();
        }
    }

    @Provide
    Arbitrary<StunMessage> plainMessages() {
        return StunArbitraries.plainMessage();
    }

    @Provide
    Arbitrary<StunMessage> messages() {
        return StunArbitraries.message();
    }

    @Provide
    Arbitrary<StunAttribute> attributes() {
        return StunArbitraries.attribute();
    }

    @Provide
    Arbitrary<TransactionId> transactionIds() {
        return StunArbitraries.transactionId();
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return StunArbitraries.key();
    }

    @Provide
    Arbitrary<Integer> integrityChoices() {
        return Arbitraries.of(1, 2, 3);
    }

    @Provide
    Arbitrary<byte[]> junk() {
        return StunArbitraries.junk();
    }

    @Provide
    Arbitrary<byte[]> plausibleJunk() {
        return StunArbitraries.plausibleJunk();
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Mutation.any().list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<StunMessage> rawMessages() {
        return StunArbitraries.rawMessage();
    }
}
