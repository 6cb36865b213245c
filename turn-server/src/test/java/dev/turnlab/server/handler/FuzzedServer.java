package dev.turnlab.server.handler;

import dev.turnlab.server.ServerCounters;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunCodecException;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.TransactionId;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Fingerprint;
import dev.turnlab.codec.attribute.MessageIntegrity;
import dev.turnlab.codec.attribute.MessageIntegritySha256;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.UserHash;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.auth.LongTermCredentials;
import dev.turnlab.codec.netty.StunStreamDecoder;
import dev.turnlab.server.PortRange;
import dev.turnlab.server.handler.ServerContexts;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.TurnServerConfig;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.AllocationTable;
import dev.turnlab.server.allocation.Deletion;
import dev.turnlab.server.allocation.Lifetimes;
import dev.turnlab.server.allocation.RangePortAllocator;
import dev.turnlab.server.allocation.Transport;
import dev.turnlab.server.LoginLimits;
import dev.turnlab.server.fault.FaultSwitch;
import dev.turnlab.server.relay.RelayEndpoints;
import dev.turnlab.server.relay.RelayHandler;
import dev.turnlab.testing.tools.RecordingAllocator;
import dev.turnlab.testing.tools.MutableClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * A TURN server on embedded channels, for fuzzing: the real {@link RequestProcessor}, listener and relay
 * handlers over state of their own (small quotas and port range, so that 486 and 508 are near), driven by a
 * script of fuzzer's bytes (see {@link Script}). After every step it checks what a client may rely on: the
 * listener is still open, every datagram to a client is STUN or ChannelData and every response answers a
 * request that client sent, and no handler met an exception (they log one instead of throwing, so the harness
 * watches their loggers). {@link #close} deletes what is left and checks that every buffer was released, that
 * the quotas count nothing and, unless a relay bind failed, that every relay port is free again.
 */
final class FuzzedServer implements AutoCloseable {

    static final String USER = "fuzz";
    static final String REALM = "turnlab.test";
    static final PortRange PORTS = new PortRange(50000, 50007);
    private static final byte[] KEY = LongTermCredentials.key(USER, REALM, "fuzz-password");
    private static final InetAddress V4 = address(127, 0, 0, 1);
    private static final InetSocketAddress LISTENER = new InetSocketAddress(V4, 3478);
    private static final List<Class<?>> WATCHED = List.of(UdpListenerHandler.class, StreamListenerHandler.class,
            RelayHandler.class);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final RecordingAllocator alloc = new RecordingAllocator();
    private final RequestProcessor processor;
    private final Socket listener;
    private final List<Socket> relays = new ArrayList<>();
    private final Map<InetSocketAddress, String> nonces = new HashMap<>();
    private final Map<TransactionId, Set<InetSocketAddress>> requests = new HashMap<>();
    /** Everything written to the connection: a response on a stream must carry a transaction id found in it. */
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final ListAppender<ILoggingEvent> handlerLog = new ListAppender<>();
    private Socket connection;
    private EmbeddedChannel connectionReader;
    private boolean failNextBind;
    private int failedBinds;
    private int toPeers;
    private int dataToClients;

    /** A server whose listener is a UDP socket, or with {@code stream} a TCP connection from the first client. */
    FuzzedServer(boolean stream) {
        TurnServerConfig config = TurnServer.builder().realm(REALM).user(USER, "fuzz-password").software("turnlab fuzz")
                .clock(clock).securityFeatures(false).integrityFailure(ErrorCode.UNAUTHORIZED)
                // No login limits: a fuzzer fails logins on purpose, and must keep reaching past them.
                .loginLimits(LoginLimits.parse("off"))
                .relayPorts(PORTS).relayPortAllocator(new RangePortAllocator(PORTS)).allowLoopbackPeers(true)
                .userQuota(3).totalQuota(5).peerQuota(4).build().config();
        ServerContext context = ServerContexts.create(config,
                new RelayEndpoints(V4, V4, address(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
                        address(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)),
                this::bindRelay, new FaultSwitch(), AllocationLog.silent(clock));
        processor = new RequestProcessor(context);
        watchHandlerLogs();
        if (stream) {
            listener = null;
            connection = new Socket(LISTENER, Script.client(0), alloc, new StunStreamDecoder(),
                    new StreamListenerHandler(processor, Transport.TCP));
            connectionReader = new EmbeddedChannel(new StunStreamDecoder());
        } else {
            listener = new Socket(LISTENER, null, alloc, new UdpListenerHandler(processor));
        }
    }

    /** The server's counters. */
    ServerCounters counters() {
        return processor.context().counters();
    }

    /** How many datagrams the relay sockets sent to peers. */
    int toPeers() {
        return toPeers;
    }

    /** How many ChannelData messages and indications went to clients. */
    int dataToClients() {
        return dataToClients;
    }

    /** Plays every step of {@code script}, checking after each. */
    void play(Script script) {
        for (Script.Step step : script.steps()) {
            step(step);
        }
    }

    private void step(Script.Step step) {
        if (step.minutesLater() > 0) {
            clock.advance(Duration.ofMinutes(step.minutesLater()));
            sweep();
        }
        failNextBind = step.failBind();
        if (step.fromPeer()) {
            fromPeer(step);
        } else {
            byte[] bytes = !step.resign() ? step.bytes()
                    : listener != null ? resign(step.bytes(), Script.client(step.endpoint())) : resignFrames(step.bytes());
            if (listener != null) {
                noteRequest(bytes, Script.client(step.endpoint()));
                listener.writeInbound(new DatagramPacket(alloc.bytes(bytes, 0, bytes.length), LISTENER,
                        Script.client(step.endpoint())));
            } else if (connection.isOpen()) {
                written.writeBytes(bytes);
                connection.writeInbound(alloc.bytes(bytes, 0, bytes.length));
            }
        }
        runPendingTasks();
        checkOutput();
    }

    /** A peer's datagram to one of the relay sockets still open, if any. */
    private void fromPeer(Script.Step step) {
        List<Socket> open = relays.stream().filter(Socket::isOpen).toList();
        if (open.isEmpty()) {
            return;
        }
        Socket relay = open.get(step.endpoint() % open.size());
        relay.writeInbound(new DatagramPacket(alloc.bytes(step.bytes(), 0, step.bytes().length),
                (InetSocketAddress) relay.localAddress(), Script.peer(step.endpoint())));
    }

    /** The periodic expiry sweep of {@code TurnServer}, run at once after the clock moved. */
    private void sweep() {
        processor.context().reservations().sweep(clock.millis());
        for (Allocation a : processor.context().allocations().all()) {
            processor.expire(a);
        }
    }

    /**
     * The request with the fuzzer's attributes but this user's USERNAME, REALM, the NONCE the server last gave
     * this client and a valid MESSAGE-INTEGRITY (RFC 8489 §9.2), so that fuzzing reaches past authentication;
     * before any nonce, the request without credentials; bytes that are not a STUN message go as they are.
     */
    private byte[] resign(byte[] bytes, InetSocketAddress client) {
        StunMessage m;
        try {
            m = StunMessageCodec.decode(Unpooled.wrappedBuffer(bytes));
        } catch (StunCodecException e) {
            return bytes;
        }
        if (m.stunClass() != StunClass.REQUEST) {
            // Indications are not authenticated (RFC 8656 §10.2): credentials would be unknown attributes there.
            return bytes;
        }
        StunMessage.Builder b = StunMessage.builder(m.method(), m.stunClass()).transactionId(m.transactionId());
        for (StunAttribute a : m.attributes()) {
            if (!(a instanceof Username || a instanceof Realm || a instanceof Nonce || a instanceof UserHash
                    || a instanceof MessageIntegrity || a instanceof MessageIntegritySha256 || a instanceof Fingerprint)) {
                b.add(a);
            }
        }
        // Before the server's first challenge there is no nonce: ask unsigned, as a client does, and get one (401).
        String nonce = nonces.get(client);
        if (nonce != null) {
            b.add(new Username(USER), new Realm(REALM), new Nonce(nonce)).integrity(KEY);
        }
        if (m.hasFingerprint()) {
            b.fingerprint();
        }
        ByteBuf out = Unpooled.buffer();
        try {
            StunMessageCodec.encode(b.build(), out);
            byte[] signed = new byte[out.readableBytes()];
            out.readBytes(signed);
            return signed;
        } catch (IllegalArgumentException tooLarge) {
            return bytes;
        } finally {
            out.release();
        }
    }

    /** On a stream: each whole STUN frame of the chunk re-signed, everything else as it is. */
    private byte[] resignFrames(byte[] chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at + 4 <= chunk.length) {
            int length = (chunk[at + 2] & 0xFF) << 8 | chunk[at + 3] & 0xFF;
            boolean stun = (chunk[at] & 0xFF) <= 3;
            int frame = stun ? StunMessageCodec.HEADER_LENGTH + length : 4 + length + ChannelDataCodec.padding(length);
            if (at + frame > chunk.length) {
                break;
            }
            byte[] bytes = Arrays.copyOfRange(chunk, at, at + frame);
            out.writeBytes(stun ? resign(bytes, Script.client(0)) : bytes);
            at += frame;
        }
        out.write(chunk, at, chunk.length - at);
        return out.toByteArray();
    }

    private void checkOutput() {
        if (listener != null) {
            assertThat(listener.isOpen()).as("the UDP listener stays open").isTrue();
            for (DatagramPacket p; (p = listener.readOutbound()) != null; ) {
                try {
                    checkToClient(p.content(), p.recipient());
                } finally {
                    p.release();
                }
            }
        } else {
            for (ByteBuf b; (b = connection.readOutbound()) != null; ) {
                connectionReader.writeInbound(b);
            }
            for (Object frame; (frame = connectionReader.readInbound()) != null; ) {
                try {
                    assertThat(frame).isInstanceOfAny(StunMessage.class, ChannelData.class);
                    if (frame instanceof StunMessage m) {
                        checkStun(m, Script.client(0));
                    } else {
                        dataToClients++;
                    }
                } finally {
                    ReferenceCountUtil.release(frame);
                }
            }
        }
        for (Socket relay : relays) {
            for (Object p; (p = relay.readOutbound()) != null; ) {
                assertThat(p).isInstanceOf(DatagramPacket.class);
                ReferenceCountUtil.release(p);
                toPeers++;
            }
        }
        assertThat(handlerLog.list).as("exceptions the handlers met").isEmpty();
    }

    private void checkToClient(ByteBuf datagram, InetSocketAddress client) {
        if (ChannelDataCodec.isChannelData(datagram)) {
            ChannelDataCodec.decode(datagram).release();
            dataToClients++;
            return;
        }
        assertThat(StunMessageCodec.isStun(datagram, false)).as("STUN or ChannelData to %s", client).isTrue();
        checkStun(StunMessageCodec.decode(datagram), client);
    }

    private void checkStun(StunMessage m, InetSocketAddress client) {
        if (m.stunClass() == StunClass.SUCCESS_RESPONSE || m.stunClass() == StunClass.ERROR_RESPONSE) {
            if (listener != null) {
                assertThat(requests.getOrDefault(m.transactionId(), Set.of())).as("the clients that sent %s", m)
                        .contains(client);
            } else {
                assertThat(contains(written.toByteArray(), m.transactionId().bytes()))
                        .as("the connection sent %s", m.transactionId()).isTrue();
            }
            m.attribute(Nonce.class).ifPresent(n -> nonces.put(client, n.value()));
        } else {
            assertThat(m.stunClass()).isEqualTo(StunClass.INDICATION);
            dataToClients++;
        }
    }

    /** Notes the transaction a client's datagram would open, so that responses can be checked against it. */
    private void noteRequest(byte[] datagram, InetSocketAddress client) {
        if (datagram.length < StunMessageCodec.HEADER_LENGTH || (datagram[0] & 0xFF) > 3) {
            return;
        }
        ByteBuf buf = Unpooled.wrappedBuffer(datagram);
        boolean classic = buf.getInt(4) != StunMessageCodec.MAGIC_COOKIE;
        byte[] tid = new byte[classic ? TransactionId.CLASSIC_LENGTH : TransactionId.LENGTH];
        buf.getBytes(classic ? 4 : 8, tid);
        requests.computeIfAbsent(TransactionId.of(tid), t -> new HashSet<>()).add(client);
    }

    private void runPendingTasks() {
        for (int i = 0; i < 2; i++) {
            if (listener != null) {
                listener.runPendingTasks();
            } else {
                connection.runPendingTasks();
            }
            relays.forEach(EmbeddedChannel::runPendingTasks);
        }
    }

    /** The relay binder: an embedded channel with the address asked for, or a bind failure when the step says so. */
    private ChannelFuture bindRelay(EventLoop loop, InetSocketAddress address, RelayHandler handler) {
        Socket relay = new Socket(address, null, alloc, handler);
        if (failNextBind) {
            failNextBind = false;
            failedBinds++;
            relay.close();
            return relay.newFailedFuture(new BindException("fuzz: port " + address.getPort() + " taken"));
        }
        relays.add(relay);
        return relay.newSucceededFuture();
    }

    /**
     * Deletes what the script left (the connection's close does so for a stream), then checks that nothing
     * leaked: buffers, quota counts, and relay ports unless a bind failed (such a port stays marked used).
     */
    @Override
    public void close() {
        try {
            if (connection != null) {
                connection.close();
                runPendingTasks();
                checkOutput();
            }
            for (Allocation a : processor.context().allocations().all()) {
                processor.delete(a, Deletion.SERVER_CLOSED);
            }
            runPendingTasks();
            processor.context().reservations().clear();
            assertThat(processor.context().allocations().size()).isZero();
            assertThat(processor.context().allocations().count(USER)).as("allocations counted for the quota").isZero();
            if (failedBinds == 0) {
                assertThat(processor.context().ports().available()).as("free relay ports").isEqualTo(PORTS.size());
            }
            assertThat(handlerLog.list).as("exceptions the handlers met").isEmpty();
        } finally {
            if (listener != null) {
                listener.finishAndReleaseAll();
            } else {
                connection.finishAndReleaseAll();
                connectionReader.finishAndReleaseAll();
            }
            relays.forEach(EmbeddedChannel::finishAndReleaseAll);
            unwatchHandlerLogs();
        }
        alloc.assertAllReleased();
    }

    /**
     * The handlers log what they catch instead of throwing (a UDP listener must outlive any client): at WARN on the
     * UDP listener, at DEBUG on the relay, and as "closing {}: {}" on a connection. Each of those is a bug here,
     * but for a write that fails because the connection is already closed.
     */
    private void watchHandlerLogs() {
        handlerLog.start();
        for (Class<?> c : WATCHED) {
            Logger logger = (Logger) LoggerFactory.getLogger(c);
            logger.setLevel(Level.DEBUG);
            logger.setAdditive(false);
            logger.addAppender(handlerLog);
        }
        handlerLog.addFilter(new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent e) {
                // A response still queued when a broken frame closed the connection fails with ClosedChannelException
                // as a write with a void promise does: that is the close, not a bug.
                boolean bug = !e.getLoggerName().equals(StreamListenerHandler.class.getName())
                        || e.getMessage().equals("closing {}: {}")
                        && !String.valueOf(e.getArgumentArray()[1]).contains("ClosedChannelException");
                return bug ? FilterReply.NEUTRAL : FilterReply.DENY;
            }
        });
    }

    private void unwatchHandlerLogs() {
        for (Class<?> c : WATCHED) {
            Logger logger = (Logger) LoggerFactory.getLogger(c);
            logger.detachAppender(handlerLog);
            logger.setAdditive(true);
            logger.setLevel(null);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static InetAddress address(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An embedded channel with IP addresses, as the handlers read their socket's addresses; allocating from {@code alloc}. */
    private static final class Socket extends EmbeddedChannel {
        private final InetSocketAddress local;
        private final InetSocketAddress remote;

        Socket(InetSocketAddress local, InetSocketAddress remote, RecordingAllocator alloc, ChannelHandler... handlers) {
            super(false, false);
            this.local = local;
            this.remote = remote;
            config().setAllocator(alloc);
            pipeline().addLast(handlers);
            try {
                register();
            } catch (Exception e) {
                throw new IllegalStateException("cannot register an embedded channel", e);
            }
        }

        @Override
        protected SocketAddress localAddress0() {
            return local;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return remote;
        }
    }
}
