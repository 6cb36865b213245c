package dev.turnlab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A client data connection reads STUN until the ConnectionBind success, and the peer's bytes after it (RFC 6062 §4.3). */
class ConnectionBindDecoderTest {

    private static final byte[] PEER_BYTES = "peer bytes, which may look like anything".getBytes(StandardCharsets.US_ASCII);

    @Test
    void bytesAfterTheSuccessInTheSameReadGoOnUndecoded() {
        EmbeddedChannel channel = new EmbeddedChannel(new ConnectionBindDecoder());
        ByteBuf wire = Unpooled.wrappedBuffer(encode(success()), PEER_BYTES);

        channel.writeInbound(wire);

        StunMessage response = channel.readInbound();
        assertThat(response.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        ByteBuf rest = channel.readInbound();
        assertThat(ByteBufUtil.getBytes(rest)).isEqualTo(PEER_BYTES);
        rest.release();
        assertThat(channel.pipeline().get(ConnectionBindDecoder.class)).isNull();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void fedOneByteAtATimeTheResponseIsWholeAndTheBytesAfterItPassThrough() {
        EmbeddedChannel channel = new EmbeddedChannel(new ConnectionBindDecoder());
        byte[] response = encode(success());
        for (byte b : response) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        channel.writeInbound(Unpooled.wrappedBuffer(PEER_BYTES));

        assertThat(((StunMessage) channel.readInbound()).method()).isEqualTo(Method.CONNECTION_BIND);
        ByteBuf rest = channel.readInbound();
        assertThat(ByteBufUtil.getBytes(rest)).isEqualTo(PEER_BYTES);
        rest.release();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void afterAnErrorResponseItStillDecodesStunForTheRetry() {
        EmbeddedChannel channel = new EmbeddedChannel(new ConnectionBindDecoder());
        StunMessage request = StunMessage.request(Method.CONNECTION_BIND).build();
        StunMessage stale = StunMessage.errorResponse(request, new ErrorCode(438, "Stale Nonce")).build();

        channel.writeInbound(Unpooled.wrappedBuffer(encode(stale), encode(success())));

        assertThat(((StunMessage) channel.readInbound()).stunClass()).isEqualTo(StunClass.ERROR_RESPONSE);
        assertThat(((StunMessage) channel.readInbound()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void bytesThatAreNotStunBeforeTheSuccessFailTheConnection() {
        EmbeddedChannel channel = new EmbeddedChannel(new ConnectionBindDecoder());

        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(PEER_BYTES)))
                .isInstanceOf(DecoderException.class);
        assertThat(channel.finish()).isFalse();
    }

    private static StunMessage success() {
        return StunMessage.successResponse(StunMessage.request(Method.CONNECTION_BIND).build()).build();
    }

    private static byte[] encode(StunMessage message) {
        ByteBuf buf = StunMessageCodec.encode(message, io.netty.buffer.ByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
