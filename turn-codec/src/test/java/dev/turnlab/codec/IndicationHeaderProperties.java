package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.XorPeerAddress;
import dev.turnlab.testing.tools.RecordingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * An indication written behind an {@link IndicationHeader} is, byte for byte, the one the general encoder makes
 * of the same message, and the general decoder gives that message back (RFC 8656 §11.1, §11.3).
 */
class IndicationHeaderProperties {

    @Property(tries = 300)
    void isTheGeneralEncodersIndicationAndDecodesBack(@ForAll("sendOrData") Method method,
            @ForAll("peers") InetSocketAddress peer, @ForAll("rfc8489Ids") TransactionId id,
            @ForAll @Size(max = 1500) byte[] data, @ForAll BufferKind kind) {
        RecordingAllocator alloc = new RecordingAllocator();
        StunMessage expected = StunMessage.indication(method).transactionId(id)
                .add(new XorPeerAddress(peer), new Data(data)).build();
        ByteBuf general = StunMessageCodec.encode(expected, alloc);
        ByteBuf payload = kind.copyOf(data);
        IndicationHeader header = IndicationHeader.of(method, peer, id);

        ByteBuf wire = header.encode(payload, alloc);

        assertThat(ByteBufUtil.getBytes(wire)).isEqualTo(ByteBufUtil.getBytes(general));
        assertThat(wire.readableBytes()).isEqualTo(header.indicationLength(data.length));
        StunMessage decoded = StunMessageCodec.decode(wire);
        assertThat(decoded).isEqualTo(expected);
        assertThat(decoded.attributes()).hasSize(2);
        assertThat(payload.readerIndex()).isZero();
        payload.release();
        general.release();
        wire.release();
        alloc.assertAllReleased();
    }

    @Property(tries = 200)
    void writtenInPlaceBehindOtherBytesItIsTheSame(@ForAll("peers") InetSocketAddress peer,
            @ForAll @Size(max = 300) byte[] data, @ForAll @Size(max = 7) byte[] before, @ForAll BufferKind kind) {
        IndicationHeader header = IndicationHeader.data(peer);
        ByteBuf whole = header.encode(Unpooled.wrappedBuffer(data), UnpooledByteBufAllocator.DEFAULT);
        ByteBuf out = kind.allocate().writeBytes(before);

        header.writeHeader(data.length, out);
        out.writeBytes(data).writeZero(IndicationHeader.padding(data.length));

        assertThat(ByteBufUtil.getBytes(out, before.length, out.readableBytes() - before.length))
                .isEqualTo(ByteBufUtil.getBytes(whole));
        out.release();
        whole.release();
    }

    @Provide
    Arbitrary<Method> sendOrData() {
        return Arbitraries.of(List.of(Method.SEND, Method.DATA));
    }

    @Provide
    Arbitrary<InetSocketAddress> peers() {
        return StunArbitraries.socketAddress();
    }

    @Provide
    Arbitrary<TransactionId> rfc8489Ids() {
        return Arbitraries.bytes().array(byte[].class).ofSize(TransactionId.LENGTH).map(TransactionId::of);
    }
}
