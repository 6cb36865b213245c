package dev.turnlab.server;

import dev.turnlab.server.relay.tcp.TcpSockets;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The sockets of TCP relays (RFC 6062): listening relay sockets and connections to peers from the relayed
 * address, with SO_REUSEADDR and SO_REUSEPORT on both. Netty's epoll transport cannot set SO_REUSEPORT on
 * a connecting socket, so on epoll and io_uring these sockets run on a NIO event loop group of their own; on
 * NIO they run on the allocation's loop. Like client connections, each may queue at most
 * {@link ServerBootstraps#STREAM_WATER_MARK} before its reader pauses.
 */
final class TcpRelaySockets implements TcpSockets, AutoCloseable {

    /** Peers that connect to one relay faster than it accepts them wait in a short queue. */
    private static final int BACKLOG = 64;

    /** The group of TCP relay sockets on epoll and io_uring, null on NIO. */
    private final EventLoopGroup nio;

    /** Sockets for a server on {@code transport} with {@code threads} event loops. */
    TcpRelaySockets(NettyTransport transport, int threads) {
        this.nio = transport == NettyTransport.NIO ? null : NettyTransport.NIO.group(threads);
    }

    private EventLoopGroup loop(EventLoop allocationLoop) {
        return nio == null ? allocationLoop : nio.next();
    }

    @Override
    public ChannelFuture listen(EventLoop loop, InetSocketAddress local, ChannelHandler acceptor) {
        EventLoopGroup group = loop(loop);
        ServerBootstrap b = new ServerBootstrap().group(group, group).channel(NettyTransport.NIO.serverChannel())
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ServerBootstraps.STREAM_WATER_MARK)
                .childOption(ChannelOption.ALLOCATOR, StreamInitializer.ALLOCATOR)
                .childHandler(acceptor);
        return NettyTransport.reuseAddressAndPort(b).bind(local);
    }

    @Override
    public ChannelFuture connect(EventLoop loop, InetSocketAddress local, InetSocketAddress remote,
            ChannelHandler handler, int timeoutMillis) {
        Bootstrap b = new Bootstrap().group(loop(loop)).channel(NettyTransport.NIO.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, ServerBootstraps.STREAM_WATER_MARK)
                .option(ChannelOption.ALLOCATOR, StreamInitializer.ALLOCATOR)
                .handler(handler);
        return NettyTransport.reuseAddressAndPort(b).connect(remote, local);
    }

    /** Stops the NIO group, if any, once the server has closed every relay. */
    @Override
    public void close() {
        if (nio != null) {
            nio.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
