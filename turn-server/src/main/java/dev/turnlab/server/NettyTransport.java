package dev.turnlab.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/** Netty's native epoll transport when the platform has it, NIO otherwise. */
enum NettyTransport {
    EPOLL, NIO;

    static NettyTransport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    MultiThreadIoEventLoopGroup group(int threads) {
        IoHandlerFactory factory = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    Class<? extends DatagramChannel> datagramChannel() {
        return this == EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    /**
     * Lets several UDP sockets share one port (SO_REUSEPORT, epoll only): the kernel spreads clients
     * over them by 4-tuple hash, so each client's packets keep reaching the same socket and event loop.
     */
    Bootstrap reusePort(Bootstrap bootstrap) {
        return this == EPOLL ? bootstrap.option(EpollChannelOption.SO_REUSEPORT, true) : bootstrap;
    }

    /** Whether {@link #reusePort} does anything. */
    boolean supportsReusePort() {
        return this == EPOLL;
    }

    Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
