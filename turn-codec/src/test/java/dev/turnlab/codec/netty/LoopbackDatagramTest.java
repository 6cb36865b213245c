package dev.turnlab.codec.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.XorMappedAddress;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The datagram codec in a real UDP pipeline on loopback: a Binding server of a few lines answers
 * with the sender's address (RFC 8489 §3) and echoes ChannelData, so the addresses in the
 * envelopes are checked against what the kernel saw.
 */
class LoopbackDatagramTest {

    private static EventLoopGroup group;
    private static Channel server;
    private static final CodecCounters counters = new CodecCounters();

    @BeforeAll
    static void startServer() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new StunDatagramEncoder(), new StunDatagramDecoder(counters), new BindingServer());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    @AfterAll
    static void stopServer() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Answers Binding requests with XOR-MAPPED-ADDRESS and sends ChannelData back where it came from. */
    private static final class BindingServer extends SimpleChannelInboundHandler<AddressedEnvelope<?, InetSocketAddress>> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, AddressedEnvelope<?, InetSocketAddress> in) {
            Object reply = in.content() instanceof StunMessage request
                    ? StunMessage.successResponse(request).add(new XorMappedAddress(in.sender())).fingerprint().build()
                    : ((ChannelData) in.content()).retain();
            ctx.writeAndFlush(new DefaultAddressedEnvelope<>(reply, in.sender(), in.recipient()));
        }
    }

    @Test
    void answersABindingRequestWithTheSendersAddress() throws Exception {
        try (DatagramSocket client = client()) {
            StunMessage request = StunMessage.request(Method.BINDING).fingerprint().build();

            byte[] answer = exchange(client, StunMessageCodec.encode(request, UnpooledByteBufAllocator.DEFAULT));

            ByteBuf in = Unpooled.wrappedBuffer(answer);
            StunMessage response = StunMessageCodec.decode(in);
            in.release();
            assertThat(response.transactionId()).isEqualTo(request.transactionId());
            assertThat(response.get(XorMappedAddress.class).address()).isEqualTo(client.getLocalSocketAddress());
        }
    }

    @Test
    void echoesChannelData() throws Exception {
        try (DatagramSocket client = client()) {
            ByteBuf out = Unpooled.buffer();
            ChannelDataCodec.writeHeader(0x4001, 3, out);
            out.writeBytes(new byte[] {1, 2, 3});

            byte[] answer = exchange(client, out);

            assertThat(ByteBufUtil.hexDump(answer)).isEqualTo("40010003" + "010203");
        }
    }

    private static DatagramSocket client() throws Exception {
        DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client.setSoTimeout(5000);
        return client;
    }

    private static byte[] exchange(DatagramSocket client, ByteBuf request) throws Exception {
        byte[] bytes = ByteBufUtil.getBytes(request);
        request.release();
        client.send(new DatagramPacket(bytes, bytes.length, server.localAddress()));
        DatagramPacket answer = new DatagramPacket(new byte[1500], 1500);
        client.receive(answer);
        assertThat(answer.getSocketAddress()).isEqualTo(server.localAddress());
        return Arrays.copyOf(answer.getData(), answer.getLength());
    }
}
