package dev.turnlab.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.XorPeerAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A Data indication written in place decodes as the one the codec would build (RFC 8656 §11.3). */
class DataIndicationsTest {

    @ParameterizedTest
    @CsvSource({"192.0.2.7, 0", "192.0.2.7, 1", "192.0.2.7, 160", "2001:db8::7, 3", "2001:db8::7, 1201"})
    void decodesAsDataIndicationWithPeerAndPayload(String ip, int length) {
        DataIndications indications = new DataIndications(UnaryOperator.identity());
        InetSocketAddress peer = new InetSocketAddress(ip, 50000);
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (i * 7 + 1);
        }
        ByteBuf data = Unpooled.wrappedBuffer(payload).readerIndex(0);
        // Twice: the second frame comes from the cached head and must be as whole as the first.
        for (int round = 0; round < 2; round++) {
            ByteBuf frame = indications.encode(peer, data, ByteBufAllocator.DEFAULT);
            try {
                assertThat(frame.readableBytes() % 4).isZero();
                StunMessage message = StunMessageCodec.decode(frame);
                assertThat(message.method()).isEqualTo(Method.DATA);
                assertThat(message.stunClass()).isEqualTo(StunClass.INDICATION);
                assertThat(message.get(XorPeerAddress.class).address()).isEqualTo(peer);
                assertThat(message.get(Data.class).value()).isEqualTo(payload);
            } finally {
                frame.release();
            }
        }
        assertThat(data.readerIndex()).isZero();
        data.release();
    }
}
