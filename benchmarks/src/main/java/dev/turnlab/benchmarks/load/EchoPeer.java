package dev.turnlab.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * The built-in UDP echo peer: every datagram goes back to its sender unchanged, without a copy. It is
 * the far end of the relay, so each probe travels client → server → peer → server → client.
 */
final class EchoPeer implements AutoCloseable {

    private final Channel channel;

    private EchoPeer(Channel channel) {
        this.channel = channel;
    }

    /**
     * Binds an echo peer to {@code address} (port 0 for an ephemeral one) on one loop of {@code group},
     * for datagrams of up to {@code maxDatagram} bytes.
     */
    static EchoPeer start(EventLoopGroup group, NettyTransport transport, InetSocketAddress address, int maxDatagram)
            throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.datagram()).handler(new Echo());
        transport.datagramOptions(bootstrap, maxDatagram, 4 << 20);
        return new EchoPeer(bootstrap.bind(address).sync().channel());
    }

    /** The address the peer is bound to. */
    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Closes the socket. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    private static final class Echo extends SimpleChannelInboundHandler<DatagramPacket> {

        Echo() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            // The content changes owner: the reply takes the received buffer as it is.
            ctx.write(new DatagramPacket(packet.content(), packet.sender()), ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
