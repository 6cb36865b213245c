package dev.turnlab.server;

import dev.turnlab.codec.dtls.DtlsCounters;
import dev.turnlab.codec.dtls.DtlsHandler;
import dev.turnlab.codec.dtls.DtlsLimits;
import dev.turnlab.codec.netty.CodecCounters;
import dev.turnlab.server.allocation.Transport;
import dev.turnlab.server.fault.Fault;
import dev.turnlab.server.handler.ConnectionCaps;
import dev.turnlab.server.handler.RequestProcessor;
import dev.turnlab.server.handler.UdpListenerHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A started server's listening sockets' bootstraps (UDP, TCP, TLS, DTLS), with its handlers, socket options
 * and capture, and the write water marks every socket of the server uses.
 */
final class ServerBootstraps implements Listeners.Bootstraps {

    /** What one TCP/TLS client may have queued toward it before relayed data is dropped. */
    static final WriteBufferWaterMark STREAM_WATER_MARK = new WriteBufferWaterMark(128 * 1024, 512 * 1024);

    /**
     * What one UDP socket, relay or listener, may have queued before relayed data to it is dropped. On epoll
     * a queued datagram weighs at least a receive slot ({@code NettyTransport.DATAGRAM_WEIGHT}), for the
     * receive batch its slice keeps alive, so the high mark is about 64 datagrams. A socket past it is
     * flushed at once, since the turn's deferred flush may be all that filled it, and dropped to only if
     * it stays past it: then the kernel refused data ({@link dev.turnlab.server.relay.Flusher#writable}).
     */
    static final WriteBufferWaterMark UDP_WATER_MARK = new WriteBufferWaterMark(2 << 20, 4 << 20);

    private final TurnServerConfig config;
    private final NettyTransport transport;
    private final EventLoopGroup group;
    private final RequestProcessor processor;
    private final ServerTls tls;
    private final ServerCapture capture;
    private final ConnectionCaps caps;
    private final Set<Channel> connections;
    private final DtlsCounters dtlsCounters;
    private final CodecCounters codecCounters;

    /** Bootstraps on {@code group} for the server that owns every other argument. */
    ServerBootstraps(TurnServerConfig config, NettyTransport transport, EventLoopGroup group, RequestProcessor processor,
            ServerTls tls, ServerCapture capture, ConnectionCaps caps, Set<Channel> connections,
            DtlsCounters dtlsCounters, CodecCounters codecCounters) {
        this.config = config;
        this.transport = transport;
        this.group = group;
        this.processor = processor;
        this.tls = tls;
        this.capture = capture;
        this.caps = caps;
        this.connections = connections;
        this.dtlsCounters = dtlsCounters;
        this.codecCounters = codecCounters;
    }


    @Override
    public Bootstrap udp(InetAddress address, boolean reusePort) {
        Bootstrap b = transport.datagramReads(new Bootstrap().group(group).channelFactory(transport.datagramChannel(address)))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, UDP_WATER_MARK)
                .handler(capture.datagram(UdpListenerHandler.perChannel(processor)));
        // 0 keeps the kernel's default (net.core.rmem_default, wmem_default).
        SocketConfig sockets = config.sockets();
        if (sockets.udpReceiveBuffer() > 0) {
            b.option(ChannelOption.SO_RCVBUF, sockets.udpReceiveBuffer());
        }
        if (sockets.udpSendBuffer() > 0) {
            b.option(ChannelOption.SO_SNDBUF, sockets.udpSendBuffer());
        }
        return reusePort ? transport.reusePort(b) : b;
    }

    @Override
    public ServerBootstrap tcp() {
        ServerBootstrap b = stream(Transport.TCP, null);
        // Started silent, the listener never reads: rebinding it silent after start would free its port for
        // a moment, which another socket on a busy host can take.
        return config.faults().isOn(Fault.SILENT_TCP) ? b.option(ChannelOption.AUTO_READ, false) : b;
    }

    @Override
    public ServerBootstrap tls() {
        return stream(Transport.TLS, tls::sslContext);
    }

    @Override
    public Bootstrap dtls(InetAddress address) {
        return transport.datagramReads(new Bootstrap().group(group).channelFactory(transport.datagramChannel(address)))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, UDP_WATER_MARK)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // Captured as plaintext, as TLS is: between the DTLS handler and the listener's handler.
                        ch.pipeline().addLast(DtlsHandler.server(tls.dtlsEngines(), DtlsLimits.DEFAULT, dtlsCounters),
                                capture.datagram(new UdpListenerHandler(processor, Transport.DTLS)));
                    }
                });
    }

    private ServerBootstrap stream(Transport kind, Supplier<SslContext> ssl) {
        return new ServerBootstrap().group(group).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Past the high mark a connection is unwritable and relayed data to it is dropped, not queued.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, STREAM_WATER_MARK)
                .childOption(ChannelOption.ALLOCATOR, StreamInitializer.ALLOCATOR)
                .childHandler(new StreamInitializer(kind, ssl, config.limits(), processor, codecCounters, caps,
                        connections, capture));
    }
}
