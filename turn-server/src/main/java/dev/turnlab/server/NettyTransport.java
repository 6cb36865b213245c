package dev.turnlab.server;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.StandardSocketOptions;

/** Netty's native epoll transport when the platform has it, NIO otherwise. */
enum NettyTransport {
    EPOLL, NIO;

    /**
     * Eight slots make 512 KiB a batch, within the pooled sizes of Netty's adaptive and pooled allocators;
     * with a heap of 512 MiB or less the adaptive allocator pools only up to 256 KiB, hence four there.
     */
    private static final DatagramReads BATCHES = new DatagramReads(Runtime.getRuntime().maxMemory() <= 512L << 20 ? 4 : 8);
    /**
     * What a datagram queued on a UDP socket weighs against its write water mark: at least a receive slot,
     * since a slice of a receive batch keeps its share of the batch alive however small its payload.
     */
    static final MessageSizeEstimator DATAGRAM_WEIGHT = () -> msg -> msg instanceof DatagramPacket p
            ? Math.max(p.content().readableBytes(), DatagramReads.SLOT) : 0;
    private static final FixedRecvByteBufAllocator WHOLE_DATAGRAMS = new FixedRecvByteBufAllocator(DatagramReads.SLOT);

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
     * Receives whole datagrams of any size on the sockets {@code bootstrap} makes: batches of up to eight
     * per {@code recvmmsg} on epoll ({@link DatagramReads}), one 64 KiB buffer per datagram on NIO. Netty's
     * default of 2048 bytes would silently truncate larger ones.
     */
    Bootstrap datagramReads(Bootstrap bootstrap) {
        if (this == EPOLL) {
            return bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, BATCHES)
                    .option(ChannelOption.MESSAGE_SIZE_ESTIMATOR, DATAGRAM_WEIGHT)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, DatagramReads.SLOT);
        }
        return bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, WHOLE_DATAGRAMS);
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

    /**
     * Sets SO_REUSEADDR and SO_REUSEPORT on the NIO sockets {@code bootstrap} makes (its listening socket, for a
     * server bootstrap): a TCP relay's connections to peers leave from the port its listening socket holds,
     * which Linux allows only when both sockets set SO_REUSEPORT (RFC 6062 §5.2). NIO only: epoll sets
     * SO_REUSEPORT on listening sockets alone, so TcpRelaySockets uses NIO for both kinds.
     */
    static <B extends AbstractBootstrap<B, ?>> B reuseAddressAndPort(B bootstrap) {
        return bootstrap.option(ChannelOption.SO_REUSEADDR, true)
                .option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
    }

    /** The class of TCP connections this transport opens. */
    Class<? extends Channel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
