package dev.turnlab.client;

import dev.turnlab.codec.capture.CaptureHandler;
import dev.turnlab.codec.capture.PacketCapture;
import dev.turnlab.codec.dtls.DtlsCounters;
import dev.turnlab.codec.dtls.DtlsEngines;
import dev.turnlab.codec.dtls.DtlsHandler;
import dev.turnlab.codec.dtls.DtlsLimits;
import dev.turnlab.codec.netty.StunDatagramDecoder;
import dev.turnlab.codec.netty.StunDatagramEncoder;
import dev.turnlab.codec.netty.StunStreamDecoder;
import dev.turnlab.codec.netty.StunStreamEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One channel to one server: a connected UDP socket (so that ICMP port unreachable comes back as an
 * error), with DTLS on top when asked, or a TCP connection, with TLS on top when asked, and the codec's handlers around a
 * {@link TransactionHandler}.
 */
final class Connection {

    /** Whole datagrams: relayed data may be up to 64 KiB, Netty's default buffer is 2 KiB. */
    private static final int MAX_DATAGRAM = 65_536;

    final Channel channel;
    final TransactionHandler transactions;
    final InetSocketAddress server;

    private Connection(Channel channel, TransactionHandler transactions, InetSocketAddress server) {
        this.channel = channel;
        this.transactions = transactions;
        this.server = server;
    }

    /** The TLS context (TLS) or DTLS engines (DTLS) of a connection; null for the other transports. */
    record Security(SslContext tls, DtlsEngines dtls) {
    }

    /**
     * Opens a channel on {@code loop} to {@code server}, recording its traffic in {@code capture} unless
     * that is null (TLS and DTLS as their plaintext); fails with a {@link NoAnswerException}.
     */
    static CompletableFuture<Connection> open(EventLoop loop, Transport transport, InetSocketAddress server,
            Security security, Duration connectTimeout, TransactionHandler.Inbound inbound, PacketCapture capture) {
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        if (server.isUnresolved()) {
            opened.completeExceptionally(new NoAnswerException(NoAnswerException.Reason.NETWORK,
                    "cannot resolve " + server.getHostString()));
            return opened;
        }
        TransactionHandler transactions = new TransactionHandler(transport.isReliable() ? null : server, inbound);
        channel(loop, transport, server, security, connectTimeout, capture, transport.isReliable()
                ? p -> p.addLast(new StunStreamDecoder(), new StunStreamEncoder(), transactions)
                : p -> p.addLast(new StunDatagramDecoder(), new StunDatagramEncoder(), transactions))
                .whenComplete((channel, failure) -> {
                    if (failure != null) {
                        opened.completeExceptionally(failure);
                    } else {
                        opened.complete(new Connection(channel, transactions, server));
                    }
                });
        return opened;
    }

    /**
     * Opens a channel on {@code loop} to {@code server} whose pipeline ends with the handlers {@code tail}
     * adds, after TLS or DTLS and the capture when there are; completes once connected (and the TLS or DTLS
     * handshake done), or fails with a {@link NoAnswerException}. {@code server} must be resolved.
     */
    static CompletableFuture<Channel> channel(EventLoop loop, Transport transport, InetSocketAddress server,
            Security security, Duration connectTimeout, PacketCapture capture, Consumer<ChannelPipeline> tail) {
        CompletableFuture<Channel> opened = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap().group(loop);
        if (!transport.isReliable()) {
            bootstrap.channel(NioDatagramChannel.class)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (transport == Transport.DTLS) {
                                ch.pipeline().addLast(DtlsHandler.client(security.dtls(), server,
                                        DtlsLimits.DEFAULT.withHandshakeTimeout(connectTimeout), new DtlsCounters()));
                            }
                            if (capture != null) {
                                ch.pipeline().addLast(new CaptureHandler(capture));
                            }
                            tail.accept(ch.pipeline());
                        }
                    });
        } else {
            bootstrap.channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ChannelPipeline p = ch.pipeline();
                            if (transport == Transport.TLS) {
                                SslHandler tls = security.tls().newHandler(ch.alloc(), server.getHostString(), server.getPort());
                                // A server that accepts the connection and never answers the handshake
                                // fails within the connect timeout, not Netty's 10 s default.
                                tls.setHandshakeTimeoutMillis(connectTimeout.toMillis());
                                p.addLast(tls);
                            }
                            if (capture != null) {
                                p.addLast(new CaptureHandler(capture));
                            }
                            tail.accept(p);
                        }
                    });
        }
        ChannelFuture connect = bootstrap.connect(server);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                opened.completeExceptionally(connectFailure(transport, server, f.cause()));
                return;
            }
            DtlsHandler dtls = connect.channel().pipeline().get(DtlsHandler.class);
            if (dtls != null) {
                dtls.handshakeFuture().addListener(h -> {
                    if (h.isSuccess()) {
                        opened.complete(connect.channel());
                    } else {
                        connect.channel().close();
                        opened.completeExceptionally(dtlsFailure(server, h.cause()));
                    }
                });
                return;
            }
            SslHandler tls = connect.channel().pipeline().get(SslHandler.class);
            if (tls == null) {
                opened.complete(connect.channel());
                return;
            }
            tls.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    opened.complete(connect.channel());
                } else {
                    connect.channel().close();
                    opened.completeExceptionally(new NoAnswerException(NoAnswerException.Reason.TLS_FAILED,
                            "TLS handshake with " + server + " failed: " + h.cause().getMessage(), h.cause()));
                }
            });
        });
        return opened;
    }

    /**
     * Closes the channel of {@code connection} once it is open, now or when a connect (or TLS handshake)
     * still under way completes, so that none is left open behind a client that moved on; the result
     * completes when the channel has closed, or at once if it never opened.
     */
    static CompletableFuture<Void> closeWhenOpen(CompletableFuture<Connection> connection) {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        if (connection == null) {
            closed.complete(null);
            return closed;
        }
        connection.whenComplete((c, failure) -> {
            if (c == null) {
                closed.complete(null);
            } else {
                c.channel.close().addListener(f -> closed.complete(null));
            }
        });
        return closed;
    }

    /** A DTLS handshake that failed: no answer in time, a closed port (ICMP), or a TLS failure proper. */
    private static NoAnswerException dtlsFailure(InetSocketAddress server, Throwable cause) {
        if (cause instanceof SocketTimeoutException) {
            return new NoAnswerException(NoAnswerException.Reason.TIMEOUT, cause.getMessage(), cause);
        }
        if (cause instanceof PortUnreachableException) {
            return new NoAnswerException(NoAnswerException.Reason.PORT_CLOSED, "DTLS to " + server
                    + ": ICMP port unreachable", cause);
        }
        return new NoAnswerException(NoAnswerException.Reason.TLS_FAILED,
                "DTLS handshake with " + server + " failed: " + cause.getMessage(), cause);
    }

    private static NoAnswerException connectFailure(Transport transport, InetSocketAddress server, Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return new NoAnswerException(NoAnswerException.Reason.TIMEOUT,
                    transport + " connection to " + server + " timed out", cause);
        }
        if (cause instanceof ConnectException) {
            return new NoAnswerException(NoAnswerException.Reason.PORT_CLOSED,
                    transport + " connection to " + server + " refused", cause);
        }
        return TransactionHandler.failure(cause);
    }
}
