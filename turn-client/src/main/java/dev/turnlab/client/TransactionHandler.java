package dev.turnlab.client;

import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.ConnectionId;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.XorPeerAddress;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's end for one connection to a server: its {@link ClientTransactions} (retransmission,
 * matching, integrity of responses; RFC 8489 §6.2, §6.3) get the responses, {@link Inbound} the Data
 * indications, ChannelData and ConnectionAttempt indications, and a failed or closed connection fails
 * the transactions waiting. Time is the event loop's: its scheduler and its {@code ticker()}, so an {@code EmbeddedChannel} with frozen
 * time drives it exactly. Everything runs on the channel's event loop.
 */
final class TransactionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger logger = LoggerFactory.getLogger(TransactionHandler.class);

    /** Receives what peers sent through the relay. Called on the event loop. */
    interface Inbound {
        /** A Data indication (RFC 8656 §11.6). */
        void data(InetSocketAddress peer, byte[] data);

        /** A ChannelData message (RFC 8656 §12.6). */
        void channelData(int channelNumber, byte[] data);

        /** A ConnectionAttempt indication (RFC 6062 §4.4): a peer connected to a TCP relayed address. */
        void connectionAttempt(ConnectionAttempt attempt);
    }

    private final InetSocketAddress server;
    private final Inbound inbound;
    private ClientTransactions transactions;
    private ChannelHandlerContext ctx;
    private long discarded;

    /**
     * A handler; {@code server} is the recipient of every datagram on UDP, and {@code null} on a stream,
     * where the connection is addressed already.
     */
    TransactionHandler(InetSocketAddress server, Inbound inbound) {
        this.server = server;
        this.inbound = inbound;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // The retransmission schedule is each request's own; this default is never used.
        this.transactions = ClientTransactions.create(ctx.executor(), m -> ctx.writeAndFlush(addressed(m)),
                Retransmission.udp());
    }

    /**
     * Starts a transaction; {@code key}, when not null, is the long-term key the request is signed with
     * and the one its responses must verify with (RFC 8489 §9.2.5). Must run on the event loop.
     */
    void transact(StunMessage request, byte[] key, Retransmission schedule, CompletableFuture<Exchange> result) {
        transactions.transact(request, key, schedule).whenComplete((ex, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(ex);
            }
        });
    }

    /** Writes an indication or ChannelData towards the server, as is. Must run on the event loop. */
    ChannelFuture send(Object message) {
        return ctx.writeAndFlush(addressed(message));
    }

    /** How many messages were discarded: responses to no transaction, wrong method, failed integrity. */
    long discarded() {
        return transactions.discarded() + discarded;
    }

    private Object addressed(Object message) {
        return server == null ? message : new DefaultAddressedEnvelope<>(message, server);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            Object content = msg instanceof AddressedEnvelope<?, ?> envelope ? envelope.content() : msg;
            if (content instanceof StunMessage message) {
                onStun(message);
            } else if (content instanceof ChannelData channelData) {
                inbound.channelData(channelData.channelNumber(), ByteBufUtil.getBytes(channelData.content()));
            } else {
                discarded++;
                logger.debug("discarded {} from the server", content.getClass().getSimpleName());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onStun(StunMessage message) {
        switch (message.stunClass()) {
            case SUCCESS_RESPONSE, ERROR_RESPONSE -> onResponse(message);
            case INDICATION -> onIndication(message);
            case REQUEST -> discard(message, "a request from the server");
        }
    }

    private void onIndication(StunMessage message) {
        XorPeerAddress peer = message.get(XorPeerAddress.class);
        if (message.method().equals(Method.CONNECTION_ATTEMPT)) {
            ConnectionId id = message.get(ConnectionId.class);
            if (peer == null || id == null) {
                discard(message, "a ConnectionAttempt without XOR-PEER-ADDRESS or CONNECTION-ID");
            } else {
                inbound.connectionAttempt(new ConnectionAttempt(id, peer.address()));
            }
            return;
        }
        Data data = message.get(Data.class);
        if (!message.method().equals(Method.DATA) || peer == null || data == null) {
            // RFC 8656 §11.6: a Data indication without both attributes is discarded.
            discard(message, "not a complete Data indication");
            return;
        }
        inbound.data(peer.address(), data.value());
    }

    private void onResponse(StunMessage response) {
        transactions.onResponse(response);
    }

    private void discard(StunMessage message, String why) {
        discarded++;
        logger.debug("discarded {} from the server: {}", message, why);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        NoAnswerException failure = failure(cause);
        if (cause instanceof PortUnreachableException) {
            // ICMP port unreachable on a connected datagram socket: nothing listens on the server's port.
            transactions.failAll(failure);
            return;
        }
        logger.debug("closing connection to {}: {}", ctx.channel().remoteAddress(), cause.toString());
        transactions.close(failure);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        transactions.close(new NoAnswerException(NoAnswerException.Reason.CLOSED, "connection closed"));
        ctx.fireChannelInactive();
    }

    /** The failure a channel exception means for a request. */
    static NoAnswerException failure(Throwable cause) {
        if (cause instanceof NoAnswerException e) {
            return e;
        }
        if (cause instanceof PortUnreachableException) {
            return new NoAnswerException(NoAnswerException.Reason.PORT_CLOSED,
                    "ICMP port unreachable: nothing listens on the server's UDP port", cause);
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return new NoAnswerException(NoAnswerException.Reason.TLS_FAILED, "TLS: " + t.getMessage(), cause);
            }
        }
        return new NoAnswerException(NoAnswerException.Reason.NETWORK, String.valueOf(cause.getMessage()), cause);
    }
}
