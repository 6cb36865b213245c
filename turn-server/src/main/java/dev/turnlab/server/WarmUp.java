package dev.turnlab.server;

import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.ChannelNumber;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.attribute.XorPeerAddress;
import dev.turnlab.codec.attribute.XorRelayedAddress;
import dev.turnlab.codec.auth.LongTermCredentials;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.AllocationTable;
import dev.turnlab.server.allocation.RangePortAllocator;
import dev.turnlab.server.allocation.Reservations;
import dev.turnlab.server.auth.Authenticator;
import dev.turnlab.server.auth.StaticCredentials;
import dev.turnlab.server.handler.AllocationLog;
import dev.turnlab.server.handler.RequestProcessor;
import dev.turnlab.server.handler.ServerContext;
import dev.turnlab.server.handler.ServerCounters;
import dev.turnlab.server.handler.UdpListenerHandler;
import dev.turnlab.server.relay.PeerPolicy;
import dev.turnlab.server.relay.RelayEndpoints;
import dev.turnlab.server.relay.RelayHandler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A start-up warm-up: before the listeners bind, a bounded number of synthetic clients run the whole TURN
 * exchange through the real handlers, so that a fresh server's first traffic meets compiled code rather than
 * the interpreter. Each cycle is Binding, Allocate without credentials (401), Allocate, CreatePermission,
 * ChannelBind and Refresh with long-term credentials (RFC 8656 §7-§11), then datagrams both ways as
 * ChannelData, Data and Send indications (§10, §12), then Refresh with lifetime 0.
 *
 * <p>Everything it touches is its own: a {@link ServerContext} with its own allocation table, counters, a
 * throwaway user, a port allocator that is bookkeeping only, a relay binder that binds nothing and a log that
 * writes nothing; {@link EmbeddedChannel}s stand in for the listening and relay sockets.
 */
final class WarmUp {

    /**
     * Cycles of the whole exchange; each relays {@link #DATAGRAMS_PER_CYCLE} datagrams of each kind, since a
     * session sends far more data than requests: at most 7000 requests and 16000 datagrams of each kind.
     */
    static final int DEFAULT_CYCLES = 1000;
    /** The wall-clock bound: the warm-up delays the listeners, and a slow machine should not wait long. */
    static final Duration DEFAULT_BUDGET = Duration.ofMillis(1500);
    static final int DATAGRAMS_PER_CYCLE = 16;
    /** The requests of one cycle: Binding, two Allocates, CreatePermission, ChannelBind, two Refreshes. */
    static final int REQUESTS_PER_CYCLE = 7;

    private static final String USER = "warm-up";
    private static final int CHANNEL = 0x4000;
    /** An Opus audio frame, the size of the benchmarks' traffic. */
    private static final int PAYLOAD = 160;
    private static final byte[] PAYLOAD_BYTES = new byte[PAYLOAD];
    private static final InetAddress LOOPBACK = loopbackV4();
    private static final InetSocketAddress LISTENER = new InetSocketAddress(LOOPBACK, 3478);
    private static final InetSocketAddress PEER = new InetSocketAddress(LOOPBACK, 50000);
    private static final InetSocketAddress OTHER_PEER = new InetSocketAddress(LOOPBACK, 50002);
    private static final int CLIENT_PORT = 40000;
    /** How many client addresses the cycles take turns with, as many clients would. */
    private static final int CLIENTS = 64;
    /** How long start-up waits past the budget for a cycle under way before it goes on without the warm-up. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    /**
     * What a warm-up did: the cycles completed, the requests answered as expected and the datagrams relayed,
     * how long it took, and why it stopped early (null if it did not; a reason means a bug in a handler).
     */
    record Result(int cycles, long requests, long datagrams, Duration elapsed, String failure) {
    }

    private final String password;
    private final RequestProcessor processor;
    private final Socket listener;
    /** A receive batch as a relay socket reads it on epoll; peers' datagrams are slices of it, as there. */
    private final ByteBuf peerBatch;
    private Socket relay;
    private InetSocketAddress client;
    private String realm;
    private String nonce;
    private byte[] key;
    private long requests;
    private long datagrams;

    private WarmUp(TurnServerConfig config) {
        Clock clock = config.clock();
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        password = Base64.getEncoder().encodeToString(secret);
        Authenticator authenticator = config.authenticator(new StaticCredentials(Map.of(USER, password)));
        RangePortAllocator ports = new RangePortAllocator(config.relayPorts());
        ServerContext context = new ServerContext(clock, config.software(), config.lifetimes(), authenticator,
                new AllocationTable(0, 0), ports, new Reservations(ports, 30_000),
                new PeerPolicy(true, List.of(), List.of(), Set.of()), new RelayEndpoints(LOOPBACK, LOOPBACK, null, null),
                this::bindRelay, new ServerCounters(), config.peerQuota(), AllocationLog.silent(clock));
        processor = new RequestProcessor(context);
        listener = new Socket(LISTENER, new UdpListenerHandler(processor));
        peerBatch = listener.alloc().directBuffer(DatagramReads.SLOT).writeZero(PAYLOAD);
    }

    /**
     * Runs at most {@code cycles} cycles, stopping at the first that starts past {@code budget}, on a thread of
     * Netty's own kind (a {@code FastThreadLocalThread}, as event loops are) so that the code compiled for
     * thread-locals is the event loops' path; returns once it is done and every buffer is released.
     */
    static Result run(TurnServerConfig config, int cycles, Duration budget) {
        AtomicReference<Result> result = new AtomicReference<>();
        long start = System.nanoTime();
        Thread thread = new DefaultThreadFactory("turn-warm-up", true).newThread(() -> {
            try {
                result.set(new WarmUp(config).drive(cycles, start, start + budget.toNanos()));
            } catch (RuntimeException | Error e) {
                result.set(new Result(0, 0, 0, Duration.ofNanos(System.nanoTime() - start), e.toString()));
            }
        });
        thread.start();
        // A handler stuck in a cycle must not hold start-up: the thread is a daemon and its state is its own.
        long end = start + budget.plus(GRACE).toNanos();
        boolean interrupted = false;
        while (thread.isAlive() && System.nanoTime() - end < 0) {
            try {
                thread.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Result r = result.get();
        return r != null ? r : new Result(0, 0, 0, Duration.ofNanos(System.nanoTime() - start),
                "still running " + budget.plus(GRACE).toMillis() + " ms after it started");
    }

    private Result drive(int cycles, long start, long deadline) {
        int done = 0;
        String failure = null;
        try {
            while (done < cycles && System.nanoTime() - deadline < 0) {
                client = new InetSocketAddress(LOOPBACK, CLIENT_PORT + done % CLIENTS);
                cycle();
                done++;
            }
        } catch (RuntimeException e) {
            // Unexpected: a wrong answer; anything else a handler threw. Either way the cycles done count.
            failure = e instanceof Unexpected ? e.getMessage() : e.toString();
        } finally {
            close();
        }
        return new Result(done, requests, datagrams, Duration.ofNanos(System.nanoTime() - start), failure);
    }

    private void cycle() {
        expect("Binding", exchange(StunMessage.request(Method.BINDING).fingerprint().build()), StunClass.SUCCESS_RESPONSE);
        StunMessage challenge = expect("Allocate without credentials",
                exchange(StunMessage.request(Method.ALLOCATE).add(RequestedTransport.UDP).build()), StunClass.ERROR_RESPONSE);
        learn(challenge);
        StunMessage allocated = expect("Allocate", exchange(signed(Method.ALLOCATE, RequestedTransport.UDP)),
                StunClass.SUCCESS_RESPONSE);
        InetSocketAddress relayed = allocated.get(XorRelayedAddress.class).address();
        expect("CreatePermission", exchange(signed(Method.CREATE_PERMISSION, new XorPeerAddress(OTHER_PEER))),
                StunClass.SUCCESS_RESPONSE);
        expect("ChannelBind", exchange(signed(Method.CHANNEL_BIND, new ChannelNumber(CHANNEL), new XorPeerAddress(PEER))),
                StunClass.SUCCESS_RESPONSE);
        expect("Refresh", exchange(signed(Method.REFRESH, Lifetime.ofSeconds(600))), StunClass.SUCCESS_RESPONSE);
        for (int i = 0; i < DATAGRAMS_PER_CYCLE; i++) {
            relayDatagrams(relayed);
        }
        expect("Refresh with lifetime 0", exchange(signed(Method.REFRESH, Lifetime.ofSeconds(0))),
                StunClass.SUCCESS_RESPONSE);
        // The allocation is deleted and its relay socket closed: release whatever it still holds.
        relay.finishAndReleaseAll();
        relay = null;
    }

    /** One datagram of each kind: ChannelData both ways, a Data indication to the client, a Send indication. */
    private void relayDatagrams(InetSocketAddress relayed) {
        ByteBuf frame = listener.alloc().buffer(ChannelDataCodec.HEADER_LENGTH + PAYLOAD);
        ChannelDataCodec.writeHeader(CHANNEL, PAYLOAD, frame);
        listener.writeInbound(new DatagramPacket(frame.writeZero(PAYLOAD), LISTENER, client));
        delivered("ChannelData to the peer", relay, PEER, PAYLOAD);

        relay.writeInbound(new DatagramPacket(peerDatagram(), relayed, PEER));
        delivered("ChannelData to the client", listener, client, ChannelDataCodec.HEADER_LENGTH + PAYLOAD);

        relay.writeInbound(new DatagramPacket(peerDatagram(), relayed, OTHER_PEER));
        DatagramPacket indication = take(listener);
        try {
            if (indication == null || !StunMessageCodec.isStun(indication.content(), true)
                    || !StunMessageCodec.decode(indication.content()).method().equals(Method.DATA)) {
                throw new Unexpected("Data indication: " + indication);
            }
            datagrams++;
        } finally {
            if (indication != null) {
                indication.release();
            }
        }

        StunMessage send = StunMessage.indication(Method.SEND)
                .add(new XorPeerAddress(OTHER_PEER), new Data(PAYLOAD_BYTES)).build();
        listener.writeInbound(new DatagramPacket(StunMessageCodec.encode(send, listener.alloc()), LISTENER, client));
        delivered("Send indication to the peer", relay, OTHER_PEER, PAYLOAD);
    }

    /** A peer's datagram as Netty hands it on: a retained slice of its receive batch. */
    private ByteBuf peerDatagram() {
        return peerBatch.retainedSlice(peerBatch.readerIndex(), PAYLOAD);
    }

    private StunMessage signed(Method method, StunAttribute... attributes) {
        return StunMessage.request(method).add(attributes)
                .add(new Username(USER), new Realm(realm), new Nonce(nonce))
                .integrity(key).fingerprint().build();
    }

    /** Takes the realm and nonce of a 401 challenge (RFC 8489 §9.2.3). */
    private void learn(StunMessage challenge) {
        Realm r = challenge.get(Realm.class);
        Nonce n = challenge.get(Nonce.class);
        if (r == null || n == null) {
            throw new Unexpected("Allocate without credentials: no challenge in " + challenge);
        }
        if (!r.value().equals(realm)) {
            realm = r.value();
            key = LongTermCredentials.key(USER, realm, password);
        }
        nonce = n.value();
    }

    /** Sends {@code request} from the client to the listener; returns the response, or null for none. */
    private StunMessage exchange(StunMessage request) {
        listener.writeInbound(new DatagramPacket(StunMessageCodec.encode(request, listener.alloc()), LISTENER, client));
        DatagramPacket response = take(listener);
        if (response == null) {
            return null;
        }
        try {
            return StunMessageCodec.decode(response.content());
        } finally {
            response.release();
        }
    }

    private StunMessage expect(String what, StunMessage response, StunClass stunClass) {
        if (response == null || response.stunClass() != stunClass) {
            throw new Unexpected(what + ": " + response);
        }
        requests++;
        return response;
    }

    private void delivered(String what, EmbeddedChannel socket, InetSocketAddress recipient, int length) {
        DatagramPacket packet = take(socket);
        if (packet == null) {
            throw new Unexpected(what + ": nothing relayed");
        }
        try {
            if (!packet.recipient().equals(recipient) || packet.content().readableBytes() != length) {
                throw new Unexpected(what + ": " + packet);
            }
            datagrams++;
        } finally {
            packet.release();
        }
    }

    /** Runs the deferred flushes of both sockets (whichever loop the flush task went to), then reads one datagram. */
    private DatagramPacket take(EmbeddedChannel socket) {
        listener.runPendingTasks();
        if (relay != null) {
            relay.runPendingTasks();
        }
        return socket.readOutbound();
    }

    /** The relay binder: an embedded channel with the address the allocation asked for, bound at once. */
    private ChannelFuture bindRelay(EventLoop loop, InetSocketAddress address, RelayHandler handler) {
        relay = new Socket(address, handler);
        return relay.newSucceededFuture();
    }

    /** Deletes what a failed cycle left and releases every buffer still queued. */
    private void close() {
        peerBatch.release();
        for (Allocation a : processor.context().allocations().all()) {
            processor.delete(a, dev.turnlab.server.allocation.Deletion.SERVER_CLOSED); // the warm-up's own server
        }
        if (relay != null) {
            relay.finishAndReleaseAll();
        }
        listener.finishAndReleaseAll();
    }

    private static InetAddress loopbackV4() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A response or datagram other than the one the exchange calls for: a bug in a handler. */
    private static final class Unexpected extends RuntimeException {
        Unexpected(String message) {
            super(message, null, false, false);
        }
    }

    /** An embedded channel with an IP address, as the handlers read their socket's local address. */
    private static final class Socket extends EmbeddedChannel {
        private final InetSocketAddress local;

        Socket(InetSocketAddress local, ChannelHandler handler) {
            super(false, false);
            this.local = local;
            pipeline().addLast(handler);
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
    }
}
