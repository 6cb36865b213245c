package dev.turnlab.codec.attribute;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.turnlab.codec.TransactionId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of {@link AttributeCodec} (RFC 8489 §14, RFC 8656 §18): a value of any length for
 * any attribute type, the known ones most often, decodes to a record that reads exactly its bytes and survives
 * its own encoding, or is refused with the {@link IllegalArgumentException} or {@link IndexOutOfBoundsException}
 * that the message decoder turns into a 400; nothing else is thrown.
 */
class AttributeCodecFuzzTest {

    /** The types the codec knows, so that most inputs reach a record's decoder rather than UnknownAttribute. */
    private static final int[] KNOWN = {0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008, 0x0009,
        0x000A, 0x000B, 0x000C, 0x000D, 0x0012, 0x0013, 0x0014, 0x0015, 0x0016, 0x0017, 0x0018, 0x0019, 0x001A,
        0x001C, 0x001D, 0x001E, 0x0020, 0x0022, 0x0024, 0x0025, 0x0026, 0x0027, 0x002A, 0x8000, 0x8001, 0x8002,
        0x8003, 0x8004, 0x8022, 0x8023, 0x8028, 0x8029, 0x802A, 0x802B, 0x802C};

    @FuzzTest(maxDuration = "4s")
    void decode(FuzzedDataProvider data) {
        int code = data.consumeBoolean() ? data.pickValue(KNOWN) : data.consumeInt(0, 0xFFFF);
        int tidLength = data.consumeBoolean() ? TransactionId.LENGTH : TransactionId.CLASSIC_LENGTH;
        TransactionId tid = TransactionId.of(Arrays.copyOf(data.consumeBytes(tidLength), tidLength));
        byte[] value = data.consumeRemainingAsBytes();
        ByteBuf in = Unpooled.wrappedBuffer(value);
        StunAttribute attribute;
        try {
            attribute = AttributeCodec.decode(code, in, value.length, tid);
        } catch (IllegalArgumentException | IndexOutOfBoundsException refused) {
            return;
        }
        assertThat(in.isReadable()).as("reads exactly its value").isFalse();
        ByteBuf out = Unpooled.buffer();
        AttributeCodec.encode(attribute, out, tid);
        assertThat(out.readUnsignedShort()).isEqualTo(code);
        int length = out.readUnsignedShort();
        assertThat(AttributeCodec.decode(code, out, length, tid)).isEqualTo(attribute);
        assertThat(out.readableBytes()).isEqualTo(AttributeCodec.padding(length));
    }
}
