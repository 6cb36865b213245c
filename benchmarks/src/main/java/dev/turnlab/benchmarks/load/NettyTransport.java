package dev.turnlab.benchmarks.load;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
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
        return new NettyTransport("nio", NioIoHandler::newFactory, NioDatagramChannel.class, NioSocketChannel.class);
    }

    /** A group of {@code threads} event loops of this transport. */
    EventLoopGroup group(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandler.get());
    }
}
