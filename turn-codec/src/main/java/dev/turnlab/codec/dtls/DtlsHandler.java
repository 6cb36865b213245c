package dev.turnlab.codec.dtls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DTLS 1.2 (RFC 6347) on a datagram channel, as TURN over DTLS needs it (RFC 7350): one JDK {@link SSLEngine} per
 * remote address, whose handshake this handler drives with the retransmission timer the JDK leaves to the
 * application (RFC 6347 §4.2.4); once established, every record's plaintext goes on as a {@link DatagramPacket}
 * from that address, and every {@link DatagramPacket} written to it goes out as one record.
 *
 * <p>As a {@linkplain #server server}, an association starts only with a ClientHello, within {@link DtlsLimits}:
 * handshakes under way in all and per source address are capped, one that does not finish in time is dropped,
 * and so is an established one that receives nothing for the idle timeout. As a {@linkplain #client client}, it
 * starts the handshake with its one server when the channel becomes active and queues the few datagrams written
 * before it finishes. A ClientHello for DTLS 1.0 only gets a protocol_version alert and no association (RFC 8996).
 * Datagrams that are not DTLS, or not a ClientHello from an unknown address, are dropped;
 * every drop, refusal, timeout and failure is counted in {@link DtlsCounters} and logged at debug. A peer's
 * close_notify is answered with one and ends the association. Runs on the channel's event loop.
 */
public final class DtlsHandler extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DtlsHandler.class);
    /** Bounds the engine steps per datagram or timer, so that no engine state can loop the event loop. */
    private static final int MAX_STEPS = 64;
    /** Datagrams a client may write before its handshake finishes (a request and its retransmissions). */
    private static final int MAX_PENDING = 16;

    private final DtlsEngines engines;
    private final DtlsLimits limits;
    private final DtlsCounters counters;
    private final InetSocketAddress server; // a client's one server; null on a listening socket
    private final Map<InetSocketAddress, DtlsSession> sessions = new HashMap<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Handshakes handshakes;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> sweep;
    private Promise<Void> handshake;
    private boolean flushNeeded;

    private record Pending(Object message, ChannelPromise promise) {
    }

    private DtlsHandler(DtlsEngines engines, InetSocketAddress server, DtlsLimits limits, DtlsCounters counters) {
        this.engines = engines;
        this.server = server;
        this.limits = limits;
        this.counters = counters;
        this.handshakes = new Handshakes(limits);
    }

    /** A handler for a listening socket, accepting associations from any address. */
    public static DtlsHandler server(DtlsEngines engines, DtlsLimits limits, DtlsCounters counters) {
        return new DtlsHandler(engines, null, limits, counters);
    }

    /** A handler for a socket talking to {@code server} only, which it starts a handshake with when active. */
    public static DtlsHandler client(DtlsEngines engines, InetSocketAddress server, DtlsLimits limits,
            DtlsCounters counters) {
        return new DtlsHandler(engines, server, limits, counters);
    }

    /**
     * Completes when the client's handshake has finished; fails with {@link SocketTimeoutException} when it did
     * not within the handshake timeout, {@link PortUnreachableException} when the server's port is closed, or
     * {@link SSLException}. Null before the handler is added, and on a server.
     */
    public Future<Void> handshakeFuture() {
        return handshake;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (server != null) {
            handshake = ctx.executor().newPromise();
        }
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (sweep != null) {
            return;
        }
        long period = Math.max(10, Math.min(1000, limits.handshakeTimeout().toMillis() / 4));
        sweep = ctx.executor().scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
        if (server != null) {
            DtlsSession s = open(server);
            try {
                s.engine.beginHandshake();
                drive(s, s.engine.getHandshakeStatus(), false);
            } catch (SSLException e) {
                fail(s, e);
            }
            flush();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            read(packet.content(), packet.sender());
        } finally {
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
        ctx.fireChannelReadComplete();
    }

    private void read(ByteBuf in, InetSocketAddress sender) {
        if (!DtlsRecords.isDtls(in)) {
            dropped(sender, "not a DTLS record");
            return;
        }
        DtlsSession s = sessions.get(sender);
        if (s == null) {
            if (server != null || !DtlsRecords.isClientHello(in)) {
                dropped(sender, "no association and no ClientHello");
                return;
            }
            if (DtlsRecords.offersDtls10Only(in)) {
                counters.onRefusedVersion();
                LOG.debug("dtls {}: ClientHello for DTLS 1.0 answered with a protocol_version alert (RFC 8996)", sender);
                ctx.write(new DatagramPacket(DtlsRecords.protocolVersionAlert(ctx.alloc()), sender), ctx.voidPromise());
                flushNeeded = true;
                return;
            }
            s = admit(sender);
            if (s == null) {
                return;
            }
        }
        s.lastReceivedNanos = System.nanoTime();
        try {
            unwrap(s, in.nioBuffer());
        } catch (SSLException | RuntimeException e) {
            // The engine's own checks of what a remote sent: that association ends, the listener goes on.
            fail(s, e);
        }
    }

    /** Unwraps every record of one datagram, passing plaintext on and answering the handshake. */
    private void unwrap(DtlsSession s, ByteBuffer src) throws SSLException {
        for (int step = 0; step < MAX_STEPS; step++) {
            DtlsSession.Output o = s.unwrap(ctx.alloc(), src);
            SSLEngineResult r = o.result();
            if (o.bytes() != null) {
                ctx.fireChannelRead(new DatagramPacket(o.bytes(), (InetSocketAddress) ctx.channel().localAddress(), s.remote));
            }
            switch (r.getStatus()) {
                case CLOSED -> {
                    closedByPeer(s);
                    return;
                }
                case BUFFER_UNDERFLOW, BUFFER_OVERFLOW -> {
                    dropped(s.remote, "truncated record");
                    return;
                }
                default -> {
                }
            }
            if (!drive(s, r.getHandshakeStatus(), false)) {
                return;
            }
            boolean again = s.engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP_AGAIN;
            if (!again && (!src.hasRemaining() || r.bytesConsumed() == 0)) {
                return;
            }
        }
    }

    /**
     * Takes the handshake from {@code status} to where it waits for the peer: runs the engine's tasks, sends
     * its flights and, while it waits, keeps the retransmission timer running. A {@code retransmission} keeps
     * the timer's back-off. Returns false when the association ended.
     */
    private boolean drive(DtlsSession s, HandshakeStatus status, boolean retransmission) throws SSLException {
        HandshakeStatus hs = status;
        for (int step = 0; step < MAX_STEPS; step++) {
            switch (hs) {
                case NEED_TASK -> {
                    // Certificate checks and key agreement: short CPU work, run here as SslHandler does by default.
                    for (Runnable task = s.engine.getDelegatedTask(); task != null; task = s.engine.getDelegatedTask()) {
                        task.run();
                    }
                    hs = s.engine.getHandshakeStatus();
                }
                case NEED_WRAP -> {
                    DtlsSession.Output o = s.wrapHandshake(ctx.alloc());
                    if (o.bytes() != null) {
                        if (!retransmission) {
                            s.stopRetransmit();
                            s.retransmitMillis = limits.initialRetransmit().toMillis();
                        }
                        send(s, o.bytes());
                    }
                    if (o.result().getStatus() == SSLEngineResult.Status.CLOSED) {
                        remove(s);
                        return false;
                    }
                    hs = o.result().getHandshakeStatus();
                }
                case FINISHED -> {
                    established(s);
                    hs = s.engine.getHandshakeStatus();
                }
                case NEED_UNWRAP -> {
                    if (!s.established && s.retransmit == null) {
                        s.retransmit = ctx.executor().schedule(() -> retransmit(s), s.retransmitMillis, TimeUnit.MILLISECONDS);
                    }
                    return true;
                }
                default -> {
                    return true;
                }
            }
        }
        return true;
    }

    /** The peer did not answer a flight in time: asked to wrap while it waits, the engine sends the flight again. */
    private void retransmit(DtlsSession s) {
        s.retransmit = null;
        if (sessions.get(s.remote) != s || s.established) {
            return;
        }
        s.retransmitMillis = Math.min(2 * s.retransmitMillis, DtlsLimits.MAX_RETRANSMIT_MILLIS);
        try {
            drive(s, HandshakeStatus.NEED_WRAP, true);
        } catch (SSLException e) {
            fail(s, e);
        }
        flush();
    }

    private void established(DtlsSession s) {
        if (s.established) {
            return;
        }
        s.established = true;
        handshakes.ended(s.remote.getAddress());
        s.stopRetransmit();
        counters.onHandshake();
        LOG.debug("dtls {}: handshake done, {} {}", s.remote, s.engine.getSession().getProtocol(),
                s.engine.getSession().getCipherSuite());
        if (server != null) {
            handshake.trySuccess(null);
            List<Pending> queued = new ArrayList<>(pending);
            pending.clear();
            queued.forEach(p -> write(ctx, p.message(), p.promise()));
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof AddressedEnvelope<?, ?> envelope && envelope.content() instanceof ByteBuf content)) {
            ctx.write(msg, promise);
            return;
        }
        InetSocketAddress to = envelope.recipient() != null ? (InetSocketAddress) envelope.recipient() : server;
        DtlsSession s = to == null ? null : sessions.get(to);
        if (s != null && !s.established && server != null && pending.size() < MAX_PENDING) {
            pending.add(new Pending(msg, promise));
            return;
        }
        try {
            if (s == null || !s.established) {
                droppedWrite(promise);
                return;
            }
            ByteBuffer plaintext = content.nioBuffer();
            DtlsSession.Output o = s.wrapData(ctx.alloc(), plaintext);
            if (o.bytes() == null || plaintext.hasRemaining()) {
                // Larger than one record, or the association closed: a datagram is sent whole or not at all.
                ReferenceCountUtil.release(o.bytes());
                droppedWrite(promise);
                return;
            }
            ctx.write(new DatagramPacket(o.bytes(), to), promise);
        } catch (SSLException e) {
            promise.trySuccess();
            fail(s, e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void droppedWrite(ChannelPromise promise) {
        counters.onDroppedWrite();
        // Like a datagram lost on the way: the writer (a relay in its hot path) is not told, nor is the pipeline.
        promise.trySuccess();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        for (DtlsSession s : List.copyOf(sessions.values())) {
            if (s.established) {
                s.engine.closeOutbound();
                sendAlert(s);
            }
        }
        flush();
        clear();
        ctx.close(promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A closed port answers the client's ClientHello with ICMP, which a connected socket reports here.
        if (handshake != null && cause instanceof PortUnreachableException && handshake.tryFailure(cause)) {
            clear();
        }
        ctx.fireExceptionCaught(cause);
    }

    /** A new association with {@code remote}, if the limits on handshakes under way allow it; else null. */
    private DtlsSession admit(InetSocketAddress remote) {
        if (!handshakes.admit(remote.getAddress())) {
            counters.onRefused();
            LOG.debug("dtls {}: ClientHello dropped, {}", remote, handshakes);
            return null;
        }
        return open(remote);
    }

    private DtlsSession open(InetSocketAddress remote) {
        DtlsSession s = new DtlsSession(remote, engines.newEngine(remote), System.nanoTime(),
                limits.initialRetransmit().toMillis());
        sessions.put(remote, s);
        handshakes.started(remote.getAddress());
        counters.onSession(1);
        return s;
    }

    /** Drops handshakes that took too long and established associations silent for too long. */
    private void sweep() {
        long now = System.nanoTime();
        long handshakeNanos = limits.handshakeTimeout().toNanos();
        long idleNanos = limits.idleTimeout().toNanos();
        for (DtlsSession s : List.copyOf(sessions.values())) {
            if (!s.established && now - s.createdNanos > handshakeNanos) {
                counters.onHandshakeTimeout();
                LOG.debug("dtls {}: handshake not done within {}, dropped", s.remote, limits.handshakeTimeout());
                if (handshake != null) {
                    handshake.tryFailure(new SocketTimeoutException("DTLS handshake with " + s.remote
                            + " not done within " + limits.handshakeTimeout().toMillis() + " ms"));
                }
                remove(s);
            } else if (s.established && now - s.lastReceivedNanos > idleNanos) {
                counters.onIdleExpired();
                LOG.debug("dtls {}: nothing received for {}, dropped", s.remote, limits.idleTimeout());
                remove(s);
            }
        }
    }

    private void closedByPeer(DtlsSession s) {
        counters.onClosed();
        LOG.debug("dtls {}: close_notify received", s.remote);
        s.engine.closeOutbound();
        sendAlert(s);
        remove(s);
    }

    /** Ends an association after a fatal error, sending the alert the engine has for it, if any. */
    private void fail(DtlsSession s, Exception e) {
        counters.onHandshakeFailure();
        LOG.debug("dtls {}: {}", s.remote, e.toString());
        if (handshake != null) {
            handshake.tryFailure(e);
        }
        sendAlert(s);
        remove(s);
    }

    /** Sends the alert the engine has after closing or failing (close_notify, or the fatal one), if any. */
    private void sendAlert(DtlsSession s) {
        try {
            DtlsSession.Output o = s.wrapHandshake(ctx.alloc());
            if (o.bytes() != null) {
                send(s, o.bytes());
            }
        } catch (SSLException | RuntimeException e) {
            LOG.debug("dtls {}: no alert sent: {}", s.remote, e.toString());
        }
    }

    private void remove(DtlsSession s) {
        if (sessions.remove(s.remote, s)) {
            forget(s);
            if (server != null && s.remote.equals(server)) {
                // A client without its association has no way to the server left.
                handshake.tryFailure(new SSLException("DTLS association with " + server + " ended"));
                ctx.close();
            }
        }
    }

    private void forget(DtlsSession s) {
        s.stopRetransmit();
        if (!s.established) {
            handshakes.ended(s.remote.getAddress());
        }
        s.engine.closeOutbound();
        counters.onSession(-1);
    }

    private void clear() {
        for (DtlsSession s : sessions.values()) {
            forget(s);
        }
        sessions.clear();
        for (Pending p = pending.poll(); p != null; p = pending.poll()) {
            ReferenceCountUtil.release(p.message());
            p.promise().tryFailure(new ClosedChannelException());
        }
        if (sweep != null) {
            sweep.cancel(false);
        }
        if (handshake != null) {
            handshake.tryFailure(new ClosedChannelException());
        }
    }

    private void send(DtlsSession s, ByteBuf record) {
        ctx.write(new DatagramPacket(record, s.remote), ctx.voidPromise());
        flushNeeded = true;
    }

    private void flush() {
        if (flushNeeded) {
            flushNeeded = false;
            ctx.flush();
        }
    }

    private void dropped(InetSocketAddress sender, String why) {
        counters.onDroppedDatagram();
        LOG.debug("dtls {}: datagram dropped, {}", sender, why);
    }
}
