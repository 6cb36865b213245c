package dev.turnlab.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.function.Supplier;

/** Netty's native epoll transport where it loads, NIO elsewhere. */
record NettyTransport(String name, Supplier<IoHandlerFactory> ioHandler, Class<? extends DatagramChannel> datagram,
        Class<? extends SocketChannel> socket) {

    /** Epoll when the native library is available on this machine, otherwise NIO. */
    static NettyTransport best() {
        if (Epoll.isAvailable()) {
            return new NettyTransport("epoll", EpollIoHandler::newFactory, EpollDatagramChannel.class,
                    EpollSocketChannel.class);
        }
        return nio();
    }

    /** The JDK's NIO transport, available everywhere. */
    static NettyTransport nio() {
        return new NettyTransport("nio", NioIoHandler::newFactory, NioDatagramChannel.class, NioSocketChannel.class);
    }

    /** The most bytes one receive buffer holds when several datagrams are read per system call. */
    static final int MAX_BATCH_BYTES = 256 * 1024;
    /** The most datagrams one recvmmsg call reads (Linux, epoll only). */
    static final int MAX_BATCH = 16;

    /**
     * Sets the socket buffers, and a receive buffer of whole datagrams of up to {@code maxDatagram} bytes
     * (Netty's default of 2048 would truncate larger ones); with epoll, several datagrams per recvmmsg.
     */
    void datagramOptions(Bootstrap bootstrap, int maxDatagram, int socketBuffer) {
        int batch = isEpoll() ? Math.max(1, Math.min(MAX_BATCH, MAX_BATCH_BYTES / maxDatagram)) : 1;
        bootstrap.option(ChannelOption.SO_RCVBUF, socketBuffer)
                .option(ChannelOption.SO_SNDBUF, socketBuffer)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(batch * maxDatagram));
        if (batch > 1) {
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxDatagram);
        }
    }

    private boolean isEpoll() {
        return datagram == EpollDatagramChannel.class;
    }

    /** A group of {@code threads} event loops of this transport. */
    EventLoopGroup group(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandler.get());
    }
}
