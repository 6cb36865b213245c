package dev.turnlab.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFactory;
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
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.Inet4Address;
import java.net.InetAddress;

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

    /**
     * UDP sockets of {@code local}'s address family. An IPv4 socket is opened as such, not as a dual-stack
     * IPv6 one: the kernel then reports senders as IPv4 addresses that need no per-datagram conversion from
     * IPv4-mapped IPv6, and they equal the addresses the allocation tables hold.
     */
    ChannelFactory<DatagramChannel> datagramChannel(InetAddress local) {
        SocketProtocolFamily family = local instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        return this == EPOLL ? () -> new EpollDatagramChannel(family) : () -> new NioDatagramChannel(family);
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
