package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.attribute.AttributeCodec;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.UnknownAttribute;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The view agrees with the decoder (RFC 8489 §5, §14): on every message the codec encodes it reads the same
 * header, the same attributes in the same order and the same integrity verdicts; on mutated messages and junk
 * it accepts exactly what the decoder accepts, but for attribute values it does not decode, which are then the
 * decoder's only reason to refuse. It never throws, consumes, retains or releases.
 */
class StunMessageViewProperties {

    @Property(tries = 300)
    void theViewReadsWhatTheDecoderDecodes(@ForAll("messages") StunMessage m, @ForAll("keys") byte[] key,
            @ForAll BufferKind kind) {
        StunMessage withIntegrity = m.hasIntegrity() ? m : m.toBuilder().integrity(key).build();
        ByteBuf buf = kind.copyOf(StunMessageCodecProperties.encode(withIntegrity));
        try {
            StunMessage decoded = StunMessageCodec.decode(buf.duplicate());
            StunMessageView view = new StunMessageView();
            assertThat(view.wrap(buf)).isTrue();
            assertThat(view.method()).isEqualTo(decoded.method());
            assertThat(view.stunClass()).isEqualTo(decoded.stunClass());
            assertThat(view.isClassic()).isEqualTo(decoded.isClassic());
            assertThat(view.transactionId()).isEqualTo(decoded.transactionId());
            assertThat(codesCounted(view)).isEqualTo(codes(decoded.attributes()));
            assertThat(view.attributeCount()).isEqualTo(decoded.attributes().size());
            assertThat(view.hasIntegrity()).isTrue();
            assertThat(view.fingerprint() >= 0).isEqualTo(decoded.hasFingerprint());
            byte[] wrong = Arrays.copyOf(key, key.length + 1);
            wrong[key.length] = 1;
            assertThat(view.verifyIntegrity(key)).isEqualTo(decoded.verifyIntegrity(key));
            assertThat(view.verifyIntegrity(wrong)).isEqualTo(decoded.verifyIntegrity(wrong));
            if (!m.hasIntegrity()) {
                // Signed here with key: another key fails. A generated message's own key is unknown, and may be
                // the very key called wrong (key [] makes wrong [1], which a generated key can be).
                assertThat(view.verifyIntegrity(wrong)).isFalse();
            }
            assertThat(buf.readerIndex()).isZero();
            assertThat(buf.refCnt()).isEqualTo(1);
        } finally {
            buf.release();
        }
    }

    @Property(tries = 1000)
    void mutatedMessagesAreRefusedExactlyAsTheDecoderRefusesThem(@ForAll("messages") StunMessage m,
            @ForAll("mutations") List<Mutation> mutations, @ForAll BufferKind kind) {
        agree(Mutation.applyAll(StunMessageCodecProperties.encode(m), mutations), kind);
    }

    @Property(tries = 500)
    void randomAttributeValuesAreRefusedOnlyByTheDecoder(@ForAll("rawMessages") StunMessage raw, @ForAll BufferKind kind) {
        agree(StunMessageCodecProperties.encode(raw), kind);
    }

    @Property
    void junkIsRefusedExactlyAsTheDecoderRefusesIt(@ForAll("plausibleJunk") byte[] bytes, @ForAll BufferKind kind) {
        agree(bytes, kind);
    }

    /**
     * The decoder gives a message exactly when the view accepts the bytes and every attribute that counts has a
     * value the attribute codec decodes; when both accept, they list the same attributes.
     */
    private static void agree(byte[] bytes, BufferKind kind) {
        ByteBuf buf = kind.copyOf(bytes);
        try {
            StunMessage decoded;
            try {
                decoded = StunMessageCodec.decode(buf.duplicate());
            } catch (StunCodecException e) {
                decoded = null;
            }
            StunMessageView view = new StunMessageView();
            boolean viewed = view.wrap(buf);
            boolean valuesDecode = viewed && valuesDecode(view);
            Statistics.label("outcome").collect(decoded != null ? "both accept"
                    : viewed ? "a value refused" : "both refuse");
            assertThat(decoded != null).isEqualTo(valuesDecode);
            if (decoded != null) {
                assertThat(codesCounted(view)).isEqualTo(codes(decoded.attributes()));
            }
            assertThat(buf.readerIndex()).isZero();
            assertThat(buf.refCnt()).isEqualTo(1);
        } finally {
            buf.release();
        }
    }

    private static boolean valuesDecode(StunMessageView view) {
        TransactionId tid = view.transactionId();
        for (int at : counted(view)) {
            ByteBuf value = view.buffer().duplicate().readerIndex(StunMessageView.valueIndex(at));
            try {
                AttributeCodec.decode(view.attributeType(at), value, view.attributeLength(at), tid);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The attributes a decoded message lists: all up to the first integrity attribute, then only the other
     * integrity attribute and FINGERPRINT (RFC 8489 §14.5, §14.6).
     */
    private static List<Integer> counted(StunMessageView view) {
        int mi = view.messageIntegrity();
        int sha256 = view.messageIntegritySha256();
        int firstIntegrity = mi < 0 ? sha256 : sha256 < 0 ? mi : Math.min(mi, sha256);
        List<Integer> at = new ArrayList<>();
        for (int a = view.firstAttribute(); a >= 0; a = view.nextAttribute(a)) {
            if (firstIntegrity < 0 || a <= firstIntegrity || a == mi || a == sha256 || a == view.fingerprint()) {
                at.add(a);
            }
        }
        return at;
    }

    private static List<Integer> codesCounted(StunMessageView view) {
        return counted(view).stream().map(view::attributeType).toList();
    }

    private static List<Integer> codes(List<StunAttribute> attributes) {
        return attributes.stream().map(a -> a instanceof UnknownAttribute u ? u.code() : a.type().code()).toList();
    }

    @Provide
    Arbitrary<StunMessage> messages() {
        return StunArbitraries.message();
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return StunArbitraries.key();
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
