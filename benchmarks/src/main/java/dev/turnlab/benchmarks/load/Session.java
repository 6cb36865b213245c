package dev.turnlab.benchmarks.load;

import dev.turnlab.benchmarks.load.LoadConfig.Mode;
import dev.turnlab.client.ClientTransactions;
import dev.turnlab.client.Exchange;
import dev.turnlab.client.NoAnswerException;
import dev.turnlab.client.Retransmission;
import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.codec.IndicationHeader;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.PacketKind;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunCodecException;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.ChannelNumber;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.XorPeerAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One TURN client: its socket, its allocation with a channel or permission to the echo peer, and the
 * probes it sends and receives. Everything but {@link #stats()} runs on the channel's event loop.
 */
final class Session extends ChannelInboundHandlerAdapter {

    /** The channel every session binds; each session has its own allocation, so they never clash. */
    static final int CHANNEL = ChannelNumber.MIN;
    /** The allocation lifetime asked for, the default of RFC 8656 §7.2. */
    static final long LIFETIME_SECONDS = 600;
    /** A closed-loop probe not echoed within this time is given up, and its slot in the window reused. */
    static final long LOSS_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /**
     * Setup requests over UDP (RFC 8489 §6.2.1 with RTO 500 ms, Rc 4, Rm 8): sent at 0, 0.5, 1.5 and 3.5 s,
     * given up at 7.5 s, so that a run does not wait RFC 8489's 39.5 s for a session that will not come.
     */
    static final Retransmission UDP_SCHEDULE = Retransmission.udp(Duration.ofMillis(500), 4, 8);
    /** Setup requests over TCP: sent once, given up when UDP's are (RFC 8489 §6.2.2). */
    static final Retransmission TCP_SCHEDULE = Retransmission.reliable(UDP_SCHEDULE.timeout());

    private final int index;
    private final LoadConfig config;
    private final InetSocketAddress peer;
    private final boolean stream;
    private final SessionStats stats = new SessionStats();
    private final CompletableFuture<SetupOutcome> setup = new CompletableFuture<>();
    private final IndicationHeader sendHeader;
    private final int frameLength;
    private Channel channel;
    private ClientTransactions transactions;
    private boolean busy;
    private long sequence;
    private long firstSend;
    private long sendEnd;
    private final ClosedLoop loop;
    private boolean wrote;

    Session(int index, LoadConfig config, InetSocketAddress peer) {
        this.index = index;
        this.config = config;
        this.peer = peer;
        this.stream = config.transport() == LoadConfig.Transport.TCP;
        this.loop = config.isMaxRate() ? new ClosedLoop(config.window(), LOSS_TIMEOUT_NANOS, stats::echoed) : null;
        if (config.mode() == Mode.CHANNEL) {
            sendHeader = null;
            frameLength = Frames.channelDataLength(config.payload(), stream);
        } else {
            sendHeader = IndicationHeader.send(peer);
            frameLength = sendHeader.indicationLength(config.payload());
        }
    }

    /** The outcome of Allocate and ChannelBind or CreatePermission, once known. */
    CompletableFuture<SetupOutcome> setup() {
        return setup;
    }

    /** The session's counters. */
    SessionStats stats() {
        return stats;
    }

    /** The session's socket, once connected. */
    Channel channel() {
        return channel;
    }

    /** Starts the setup on the connected {@code ch}: Allocate, then ChannelBind or CreatePermission. */
    void start(Channel ch) {
        channel = ch;
        // turn-client's transactions: retransmission, the 401/438 challenge and signing. The data path
        // below never meets them; only responses are handed over.
        transactions = ClientTransactions.withCredentials(ch.eventLoop(),
                request -> ch.writeAndFlush(StunMessageCodec.encode(request, ch.alloc())),
                stream ? TCP_SCHEDULE : UDP_SCHEDULE, config.user(), config.password(), config.realm());
        transact(Session::allocateRequest, allocated -> bindPeer(), this::setupFailed);
    }

    private static StunMessage.Builder allocateRequest() {
        // RFC 8656 §7.1: the relayed transport is UDP, the lifetime the default.
        return StunMessage.request(Method.ALLOCATE).add(RequestedTransport.UDP, Lifetime.ofSeconds(LIFETIME_SECONDS));
    }

    private void bindPeer() {
        transact(this::bindRequest, bound -> setup.complete(SetupOutcome.ok()), this::setupFailed);
    }

    private StunMessage.Builder bindRequest() {
        if (config.mode() == Mode.CHANNEL) {
            // RFC 8656 §11.1: a channel binding also installs the permission for the peer.
            return StunMessage.request(Method.CHANNEL_BIND).add(new ChannelNumber(CHANNEL), new XorPeerAddress(peer));
        }
        return StunMessage.request(Method.CREATE_PERMISSION).add(new XorPeerAddress(peer));
    }

    private void setupFailed(String code) {
        setup.complete(SetupOutcome.failed(code));
    }

    /**
     * Refreshes the allocation and then its channel binding or permission (RFC 8656 §7.3, §9, §11), for
     * runs longer than a permission lives; failures are counted, the run goes on.
     */
    void refresh() {
        if (busy) {
            return;
        }
        transact(() -> StunMessage.request(Method.REFRESH).add(Lifetime.ofSeconds(LIFETIME_SECONDS)),
                refreshed -> transact(this::bindRequest, bound -> stats.onRefreshed(),
                        code -> stats.onRefreshFailure()),
                code -> stats.onRefreshFailure());
    }

    /** Deletes the allocation with a Refresh of lifetime 0 (RFC 8656 §7.3); completes when answered or given up. */
    CompletableFuture<Void> deallocate() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (transactions == null || transactions.key() == null || !channel.isActive()) {
            done.complete(null);
            return done;
        }
        cancelTransactions();
        transact(() -> StunMessage.request(Method.REFRESH).add(Lifetime.ofSeconds(0)), ok -> done.complete(null),
                code -> done.complete(null));
        return done;
    }

    /**
     * Sends the request {@code request} builds, with credentials once challenged, and calls
     * {@code onSuccess} with the verified success response, or {@code onFailure} with the error code or
     * one of the {@link SetupOutcome} reasons. One at a time: call when not {@link #busy}.
     */
    private void transact(Supplier<StunMessage.Builder> request, Consumer<StunMessage> onSuccess,
            Consumer<String> onFailure) {
        busy = true;
        transactions.authenticated(request).whenComplete((exchange, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof CancellationException) {
                return; // stopped by cancelTransactions, which expects no call back
            }
            busy = false;
            if (cause != null) {
                onFailure.accept(outcome(cause));
            } else if (exchange.response().stunClass() == StunClass.SUCCESS_RESPONSE) {
                onSuccess.accept(exchange.response());
            } else {
                onFailure.accept(errorCode(exchange));
            }
        });
    }

    private static String errorCode(Exchange exchange) {
        ErrorCode error = exchange.response().get(ErrorCode.class);
        return error == null ? SetupOutcome.MALFORMED : Integer.toString(error.code());
    }

    private static String outcome(Throwable failure) {
        if (failure instanceof NoAnswerException noAnswer) {
            return switch (noAnswer.reason()) {
                case TIMEOUT -> SetupOutcome.TIMEOUT;
                case PORT_CLOSED -> SetupOutcome.UNREACHABLE;
                default -> SetupOutcome.CLOSED;
            };
        }
        return SetupOutcome.CLOSED;
    }

    /** Stops waiting for the current request, if any, without calling back. */
    private void cancelTransactions() {
        if (transactions != null) {
            transactions.cancelAll();
        }
        busy = false;
    }

    private void onStun(StunMessage message) {
        if (transactions != null) {
            transactions.onResponse(message);
        }
    }

    // ---- data path ----

    /**
     * Starts sending: paced sessions from {@code t0} plus a phase that spreads the sessions over one
     * packet interval, closed-loop sessions at once with a full window; probes sent in
     * [{@code measureStart}, {@code measureEnd}) are measured and none is sent after {@code measureEnd}.
     */
    void startTraffic(long t0, long measureStart, long measureEnd) {
        stats.window(measureStart, measureEnd);
        sendEnd = measureEnd;
        if (config.isMaxRate()) {
            refill(System.nanoTime());
            flushIfWritten();
        } else {
            long interval = 1_000_000_000L / config.ratePerSession();
            firstSend = t0 + interval * index / config.sessions();
        }
    }

    /** Runs once per tick of the event loop's timer: sends what is due, or gives up lost probes and refills. */
    void tick(long now) {
        if (config.isMaxRate()) {
            loop.expire(now);
            refill(now);
        } else {
            long last = Math.min(now, sendEnd - 1);
            if (last >= firstSend) {
                long due = (long) ((last - firstSend) * (config.ratePerSession() / 1e9)) + 1;
                while (sequence < due && channel.isActive()) {
                    if (!channel.isWritable()) {
                        // Open loop, bounded memory: what the socket cannot take now is not sent at all.
                        stats.onUnsent(due - sequence);
                        sequence = due;
                        break;
                    }
                    sendProbe(System.nanoTime());
                }
            }
        }
        flushIfWritten();
    }

    /** The session's counts, with the closed loop's; call on the event loop. */
    Tally tally() {
        return stats.tally(loop == null ? 0 : loop.givenUp());
    }

    /** Probes sent and not yet echoed (warm-up included); zero when all came back. */
    long outstanding() {
        return stats.sent() - stats.received();
    }

    private void refill(long now) {
        while (loop.hasRoom() && now < sendEnd && channel.isActive()) {
            loop.onSent(now);
            sendProbe(now);
        }
    }

    private void sendProbe(long now) {
        int payload = config.payload();
        ByteBuf out = channel.alloc().directBuffer(frameLength);
        if (sendHeader == null) {
            ChannelDataCodec.writeHeader(CHANNEL, payload, out);
            Probe.write(out, sequence, now, payload);
            if (stream) {
                out.writeZero(ChannelDataCodec.padding(payload)); // RFC 8656 §12.5
            }
        } else {
            sendHeader.writeHeader(payload, out);
            Probe.write(out, sequence, now, payload);
            out.writeZero(IndicationHeader.padding(payload)); // RFC 8489 §14
        }
        sequence++;
        stats.onSent(now);
        channel.write(out, channel.voidPromise());
        wrote = true;
    }

    private void flushIfWritten() {
        if (wrote) {
            wrote = false;
            channel.flush();
        }
    }

    /** A datagram from the server, parsed in place: ChannelData, a Data indication, or a response. */
    private void onDatagram(ByteBuf datagram) {
        switch (PacketKind.of(datagram)) {
            case CHANNEL_DATA -> onChannelData(datagram);
            case STUN -> onStunDatagram(datagram);
            case OTHER, EMPTY -> stats.onMalformed();
        }
    }

    private void onChannelData(ByteBuf datagram) {
        int at = Frames.channelDataPayload(datagram);
        if (at < 0 || datagram.getUnsignedShort(datagram.readerIndex()) != CHANNEL) {
            stats.onMalformed();
        } else {
            onProbe(datagram, at, Frames.channelDataPayloadLength(datagram));
        }
    }

    /** A Data indication, read in place, or another STUN message, decoded. */
    private void onStunDatagram(ByteBuf datagram) {
        if (Frames.isDataIndication(datagram)) {
            int at = Frames.dataIndicationPayload(datagram);
            if (at < 0) {
                stats.onMalformed();
            } else {
                onProbe(datagram, at, datagram.getUnsignedShort(at - 2));
            }
        } else if (StunMessageCodec.isStun(datagram, true)) {
            try {
                onStun(StunMessageCodec.decode(datagram));
            } catch (StunCodecException e) {
                stats.onMalformed();
            }
        } else {
            stats.onMalformed();
        }
    }

    /** A frame the stream decoder cut from TCP: ChannelData, a STUN message, or a malformed one. */
    private void onStreamFrame(Object frame) {
        if (frame instanceof ChannelData data) {
            ByteBuf content = data.content();
            if (data.channelNumber() != CHANNEL) {
                stats.onMalformed();
            } else {
                onProbe(content, content.readerIndex(), content.readableBytes());
            }
        } else if (frame instanceof StunMessage message) {
            if (message.method() == Method.DATA && message.stunClass() == StunClass.INDICATION) {
                Data data = message.get(Data.class);
                if (data == null) {
                    stats.onMalformed();
                } else {
                    onProbe(Unpooled.wrappedBuffer(data.value()), 0, data.length());
                }
            } else {
                onStun(message);
            }
        } else {
            stats.onMalformed();
        }
    }

    private void onProbe(ByteBuf frame, int at, int length) {
        if (length != config.payload()) {
            stats.onCorrupt();
            return;
        }
        long now = System.nanoTime();
        long echoed = Probe.sequence(frame, at);
        if (stats.onEcho(echoed, Probe.sentNanos(frame, at), now) && loop != null) {
            loop.onEcho(echoed);
            refill(now);
        }
    }

    // ---- Netty glue ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof DatagramPacket packet) {
                onDatagram(packet.content());
            } else {
                onStreamFrame(msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushIfWritten();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTransactions();
        setup.complete(SetupOutcome.failed(SetupOutcome.CLOSED));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // UDP: an ICMP error such as port unreachable; TCP: a broken frame or a reset. Either way the
        // session cannot go on with this socket on a stream; a datagram socket stays open.
        stats.onSocketError();
        if (cause instanceof PortUnreachableException) {
            setup.complete(SetupOutcome.failed(SetupOutcome.UNREACHABLE));
        }
        if (stream) {
            ctx.close();
        }
    }
}
