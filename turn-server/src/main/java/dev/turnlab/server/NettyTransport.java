package dev.turnlab.server;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelConfig;
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
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.StandardSocketOptions;

/**
 * Netty's I/O transports as the server uses them: io_uring or epoll where the platform has them, NIO
 * anywhere ({@link IoTransport} is the setting that picks one).
 */
enum NettyTransport {
    IO_URING, EPOLL, NIO;

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

    /**
     * The transport {@link IoTransport#AUTO} takes: epoll, else io_uring, else NIO. Epoll comes first because
     * it measured cheaper than Netty 4.2.18's io_uring at a call's pace: fewer system calls and less CPU per
     * relayed datagram, and no loss (benchmarks/results/2026-12-03-paced.md).
     */
    static NettyTransport best() {
        return Epoll.isAvailable() ? EPOLL : IoUring.isAvailable() ? IO_URING : NIO;
    }

    /**
     * The transport {@code choice} names, {@link #best()} for {@link IoTransport#AUTO}; throws
     * {@link IllegalArgumentException} naming the reason when the platform does not have the one named.
     */
    static NettyTransport of(IoTransport choice) {
        Throwable missing = switch (choice) {
            case AUTO -> null;
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            case NIO -> null;
        };
        if (missing != null) {
            throw new IllegalArgumentException("ioTransport: " + choice + " is not available here (" + missing + ")");
        }
        return switch (choice) {
            case AUTO -> best();
            case IO_URING -> IO_URING;
            case EPOLL -> EPOLL;
            case NIO -> NIO;
        };
    }

    /** Whether this platform has the transport. */
    boolean isAvailable() {
        return switch (this) {
            case IO_URING -> IoUring.isAvailable();
            case EPOLL -> Epoll.isAvailable();
            case NIO -> true;
        };
    }

    /** The setting's name for this transport, as the start line and {@code /status} show it. */
    @Override
    public String toString() {
        return choice().toString();
    }

    /** The setting that names this transport. */
    IoTransport choice() {
        return switch (this) {
            case IO_URING -> IoTransport.IO_URING;
            case EPOLL -> IoTransport.EPOLL;
            case NIO -> IoTransport.NIO;
        };
    }

    MultiThreadIoEventLoopGroup group(int threads) {
        IoHandlerFactory factory = switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    /**
     * UDP sockets of {@code local}'s address family. An IPv4 socket is opened as such, not as a dual-stack
     * IPv6 one: the kernel then reports senders as IPv4 addresses that need no per-datagram conversion from
     * IPv4-mapped IPv6, and they equal the addresses the allocation tables hold.
     */
    ChannelFactory<DatagramChannel> datagramChannel(InetAddress local) {
        SocketProtocolFamily family = local instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        return switch (this) {
            case IO_URING -> () -> new IoUringDatagramChannel(family);
            case EPOLL -> () -> new EpollDatagramChannel(family);
            case NIO -> () -> new NioDatagramChannel(family);
        };
    }

    /**
     * Receives whole datagrams of any size on the listening sockets {@code bootstrap} makes, where every
     * client's datagrams arrive: batches of up to eight per {@code recvmmsg} on epoll ({@link DatagramReads}),
     * eight {@code recvmsg} submitted at once on io_uring, one 64 KiB buffer per datagram on NIO. Netty's
     * default of 2048 bytes would silently truncate larger ones.
     */
    Bootstrap datagramReads(Bootstrap bootstrap) {
        return switch (this) {
            case IO_URING -> bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, BATCHES)
                    .option(ChannelOption.MESSAGE_SIZE_ESTIMATOR, DATAGRAM_WEIGHT)
                    .option(IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, DatagramReads.SLOT);
            case EPOLL -> bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, BATCHES)
                    .option(ChannelOption.MESSAGE_SIZE_ESTIMATOR, DATAGRAM_WEIGHT)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, DatagramReads.SLOT);
            case NIO -> bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, WHOLE_DATAGRAMS);
        };
    }

    /**
     * Receives whole datagrams of any size on the relay socket {@code relay}, one allocation's
     * peers each: one datagram per read into a 64 KiB buffer. At a call's pace a relay socket has one
     * datagram waiting when it is ready; a batch would cost an extra system call ({@code recvmmsg} asks
     * the socket's options first) and, on io_uring, where reads are submitted before data arrives, eight
     * buffers held by every relay socket instead of one. A socket with more waiting is reported ready again.
     */
    void relayReads(ChannelConfig relay) {
        relay.setRecvByteBufAllocator(WHOLE_DATAGRAMS);
        switch (this) {
            case IO_URING -> {
                relay.setMessageSizeEstimator(DATAGRAM_WEIGHT);
                relay.setOption(IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 0);
            }
            case EPOLL -> {
                relay.setMessageSizeEstimator(DATAGRAM_WEIGHT);
                relay.setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 0);
            }
            case NIO -> {
                // the allocator alone
            }
        }
    }

    /**
     * Lets several UDP sockets share one port (SO_REUSEPORT, io_uring and epoll only): the kernel spreads
     * clients over them by 4-tuple hash, so each client's packets keep reaching the same socket and event loop.
     */
    Bootstrap reusePort(Bootstrap bootstrap) {
        return switch (this) {
            case IO_URING -> bootstrap.option(IoUringChannelOption.SO_REUSEPORT, true);
            case EPOLL -> bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
            case NIO -> bootstrap;
        };
    }

    /** Whether {@link #reusePort} does anything. */
    boolean supportsReusePort() {
        return this != NIO;
    }

    /**
     * Sets SO_REUSEADDR and SO_REUSEPORT on the NIO sockets {@code bootstrap} makes (its listening socket, for a
     * server bootstrap): a TCP relay's connections to peers leave from the port its listening socket holds,
     * which Linux allows only when both sockets set SO_REUSEPORT (RFC 6062 §5.2). NIO only: epoll sets
     * SO_REUSEPORT on listening sockets alone, so TcpRelaySockets uses NIO for both kinds whatever the
     * server's transport.
     */
    static <B extends AbstractBootstrap<B, ?>> B reuseAddressAndPort(B bootstrap) {
        return bootstrap.option(ChannelOption.SO_REUSEADDR, true)
                .option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
    }

    /** The class of TCP connections this transport opens. */
    Class<? extends Channel> socketChannel() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    /** The class of listening TCP sockets on this transport. */
    Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }
}
