package dev.turnlab.server;

import dev.turnlab.server.handler.ServerContexts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.auth.LongTermCredentials;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.AllocationTable;
import dev.turnlab.server.allocation.Deletion;
import dev.turnlab.server.allocation.RangePortAllocator;
import dev.turnlab.server.allocation.Reservations;
import dev.turnlab.server.fault.FaultSwitch;
import dev.turnlab.server.handler.AllocationLog;
import dev.turnlab.server.handler.RequestProcessor;
import dev.turnlab.server.handler.UdpListenerHandler;
import dev.turnlab.server.relay.RelayEndpoints;
import dev.turnlab.server.relay.RelayHandler;
import dev.turnlab.testing.tools.MutableClock;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A server's request handlers and state on embedded channels, with a frozen clock: a UDP listener, relay
 * sockets the binder makes on demand (failing for the ports in {@link #foreign()}, as when another socket
 * holds them), a port allocator over a range, reservations and the allocation table. Clients are numbered;
 * client {@code n} sends from 127.0.0.1:50000+n as user alice.
 */
final class EmbeddedServer implements AutoCloseable {

    static final InetSocketAddress LISTENER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3478);
    private static final String USER = "alice";
    private static final String PASSWORD = "alice-secret";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final PortRange range;
    private final RangePortAllocator ports;
    private final Reservations reservations;
    private final AllocationTable table;
    private final Set<Integer> foreign = new HashSet<>();
    private final List<Long> tokens = new ArrayList<>();
    private final Map<Integer, String> nonces = new HashMap<>();
    private final List<Socket> relays = new ArrayList<>();
    private final RequestProcessor processor;
    private final Socket listener;
    private String realm;

    /** A server with relay ports {@code range}, passing a port that failed to bind over for {@code backOff}. */
    EmbeddedServer(PortRange range, Duration backOff) {
        this.range = range;
        this.ports = new RangePortAllocator(range, clock, backOff);
        InetAddress loopback = LISTENER.getAddress();
        TurnServerConfig config = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(range).relayPortAllocator(ports)
                .user(USER, PASSWORD).clock(clock).nonceLifetime(Duration.ofDays(3650)).allowLoopbackPeers(true).build()
                .config();
        processor = new RequestProcessor(ServerContexts.create(config, new RelayEndpoints(loopback, loopback, null, null),
                this::bind, new FaultSwitch(), AllocationLog.silent(clock)));
        this.reservations = processor.context().reservations();
        this.table = processor.context().allocations();
        listener = new Socket(LISTENER, new UdpListenerHandler(processor));
    }

    private ChannelFuture bind(EventLoop loop, InetSocketAddress address, RelayHandler handler) {
        if (foreign.contains(address.getPort())) {
            return listener.newFailedFuture(new BindException("Address already in use"));
        }
        Socket relay = new Socket(address, handler);
        relays.add(relay);
        return relay.newSucceededFuture();
    }

    /** Ports another socket holds: binding a relay socket to one fails. Mutable. */
    Set<Integer> foreign() {
        return foreign;
    }

    /** RESERVATION-TOKENs the test has seen. Mutable. */
    List<Long> tokens() {
        return tokens;
    }

    /** The UDP listening socket. */
    EmbeddedChannel listener() {
        return listener;
    }

    /** The periodic sweep after {@code d}: expired reservations and allocations go. */
    void advance(Duration d) {
        clock.advance(d);
        reservations.sweep(clock.millis());
        for (Allocation a : table.all()) {
            processor.expire(a);
        }
    }

    /** Relay ports in use, as {@code turnlab_relay_ports_in_use} reports them. */
    int inUse() {
        return range.size() - ports.available();
    }

    /** The live allocations. */
    List<Allocation> allocations() {
        return table.all();
    }

    /** Ports held by RESERVATION-TOKENs. */
    int reservations() {
        return reservations.size();
    }

    StunMessage allocate(int client, StunAttribute... extra) {
        List<StunAttribute> attributes = new ArrayList<>(List.of(RequestedTransport.UDP));
        attributes.addAll(List.of(extra));
        return signed(client, Method.ALLOCATE, attributes.toArray(new StunAttribute[0]));
    }

    StunMessage refresh(int client, int seconds) {
        return signed(client, Method.REFRESH, Lifetime.ofSeconds(seconds));
    }

    /** Sends a request with long-term credentials from {@code client}, learning realm and nonce first. */
    private StunMessage signed(int client, Method method, StunAttribute... attributes) {
        if (!nonces.containsKey(client)) {
            StunMessage challenge = exchange(client, StunMessage.request(method).add(attributes).build());
            realm = challenge.get(Realm.class).value();
            nonces.put(client, challenge.get(Nonce.class).value());
        }
        byte[] key = LongTermCredentials.key(USER, realm, PASSWORD);
        return exchange(client, StunMessage.request(method).add(attributes)
                .add(new Username(USER), new Realm(realm), new Nonce(nonces.get(client)))
                .integrity(key).fingerprint().build());
    }

    /** Sends {@code request} from {@code client} to the listener and returns the response. */
    StunMessage exchange(int client, StunMessage request) {
        send(client, request);
        listener.runPendingTasks();
        DatagramPacket response = listener.readOutbound();
        assertThat(response).as("a response to %s", request.method()).isNotNull();
        try {
            return StunMessageCodec.decode(response.content());
        } finally {
            response.release();
        }
    }

    /** Hands {@code request} from {@code client} to the listener; its response is written but not yet flushed. */
    void send(int client, StunMessage request) {
        InetSocketAddress from = new InetSocketAddress(LISTENER.getAddress(), 50000 + client);
        // Read as a socket reads it: the deferred flush stays queued until runPendingTasks.
        listener.pipeline().fireChannelRead(new DatagramPacket(StunMessageCodec.encode(request, listener.alloc()), LISTENER, from));
    }

    /** Deletes every allocation and releases every buffer still queued. */
    @Override
    public void close() {
        for (Allocation a : table.all()) {
            processor.delete(a, Deletion.SERVER_CLOSED);
        }
        relays.forEach(EmbeddedChannel::finishAndReleaseAll);
        listener.finishAndReleaseAll();
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
