package dev.turnlab.client;

import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.TransactionId;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.XorPeerAddress;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client transactions of one connection to a server (RFC 8489 §6.2, §6.3): sends each request on
 * its {@link Retransmission} schedule, matches responses by transaction id, checks their integrity
 * when the request was signed, and hands Data indications and ChannelData to {@link Inbound}. Time is
 * the event loop's: its scheduler and its {@code ticker()}, so an {@code EmbeddedChannel} with frozen
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
    }

    private final InetSocketAddress server;
    private final Inbound inbound;
    private final Map<TransactionId, Pending> pending = new HashMap<>();
    private ChannelHandlerContext ctx;
    private NoAnswerException closedBecause;
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
    }

    /**
     * Starts a transaction; {@code key}, when not null, is the long-term key the request is signed with
     * and the one its responses must verify with (RFC 8489 §9.2.5). Must run on the event loop.
     */
    void transact(StunMessage request, byte[] key, Retransmission schedule, CompletableFuture<Exchange> result) {
        if (closedBecause != null) {
            result.completeExceptionally(closedBecause);
            return;
        }
        Pending p = new Pending(request, key, schedule, result, now());
        pending.put(request.transactionId(), p);
        transmit(p);
    }

    /** Writes an indication or ChannelData towards the server, as is. Must run on the event loop. */
    ChannelFuture send(Object message) {
        return ctx.writeAndFlush(addressed(message));
    }

    /** How many responses were discarded: unknown transaction, wrong method, failed integrity. */
    long discarded() {
        return discarded;
    }

    private Object addressed(Object message) {
        return server == null ? message : new DefaultAddressedEnvelope<>(message, server);
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    private void transmit(Pending p) {
        if (pending.get(p.request.transactionId()) != p) {
            return;
        }
        p.transmissions++;
        ctx.writeAndFlush(addressed(p.request)).addListener(f -> {
            if (!f.isSuccess()) {
                finish(p).completeExceptionally(failure(f.cause()));
            }
        });
        List<Duration> at = p.schedule.transmissions();
        boolean more = p.transmissions < at.size();
        long next = (more ? at.get(p.transmissions) : p.schedule.timeout()).toNanos();
        // Planned from the first transmission, so a slow write does not shift the whole schedule.
        long delay = Math.max(0, next - (now() - p.startNanos));
        p.timer = ctx.executor().schedule(more ? () -> transmit(p) : () -> giveUp(p), delay, TimeUnit.NANOSECONDS);
    }

    private void giveUp(Pending p) {
        if (pending.get(p.request.transactionId()) != p) {
            return;
        }
        finish(p).completeExceptionally(new NoAnswerException(NoAnswerException.Reason.TIMEOUT,
                "no answer to " + p.request.method() + " after " + p.transmissions + " transmission"
                        + (p.transmissions == 1 ? "" : "s") + " in " + p.schedule.timeout().toMillis() + " ms"));
    }

    private CompletableFuture<Exchange> finish(Pending p) {
        pending.remove(p.request.transactionId());
        if (p.timer != null) {
            p.timer.cancel(false);
        }
        return p.result;
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
        Data data = message.get(Data.class);
        if (!message.method().equals(Method.DATA) || peer == null || data == null) {
            // RFC 8656 §11.6: a Data indication without both attributes is discarded.
            discard(message, "not a complete Data indication");
            return;
        }
        inbound.data(peer.address(), data.value());
    }

    private void onResponse(StunMessage response) {
        Pending p = pending.get(response.transactionId());
        if (p == null) {
            discard(response, "no such transaction (late or duplicate)");
            return;
        }
        if (!p.request.method().equals(response.method())) {
            discard(response, "method differs from the request's " + p.request.method());
            return;
        }
        if (p.key != null && !authentic(response, p.key)) {
            // RFC 8489 §9.2.5: processed as if it had never been received; retransmissions go on.
            discard(response, "MESSAGE-INTEGRITY does not verify with the request's key");
            return;
        }
        finish(p).complete(new Exchange(response, Duration.ofNanos(now() - p.startNanos), p.transmissions));
    }

    /**
     * RFC 8489 §9.2.5: a 401 or 438 challenge carries no integrity; a success must carry integrity that
     * verifies; an error response is accepted without integrity (servers refuse bad credentials, 431
     * included, without it) but not with integrity that fails.
     */
    static boolean authentic(StunMessage response, byte[] key) {
        if (response.stunClass() == StunClass.ERROR_RESPONSE) {
            ErrorCode error = response.get(ErrorCode.class);
            if (error != null && (error.code() == 401 || error.code() == 438) || !response.hasIntegrity()) {
                return true;
            }
        }
        return response.hasIntegrity() && response.verifyIntegrity(key);
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
            failAll(failure);
            return;
        }
        logger.debug("closing connection to {}: {}", ctx.channel().remoteAddress(), cause.toString());
        closedBecause = failure;
        failAll(failure);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (closedBecause == null) {
            closedBecause = new NoAnswerException(NoAnswerException.Reason.CLOSED, "connection closed");
        }
        failAll(closedBecause);
        ctx.fireChannelInactive();
    }

    private void failAll(NoAnswerException failure) {
        for (Pending p : new ArrayList<>(pending.values())) {
            finish(p).completeExceptionally(failure);
        }
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

    private static final class Pending {
        final StunMessage request;
        final byte[] key;
        final Retransmission schedule;
        final CompletableFuture<Exchange> result;
        final long startNanos;
        int transmissions;
        ScheduledFuture<?> timer;

        Pending(StunMessage request, byte[] key, Retransmission schedule, CompletableFuture<Exchange> result,
                long startNanos) {
            this.request = request;
            this.key = key;
            this.schedule = schedule;
            this.result = result;
            this.startNanos = startNanos;
        }
    }
}
