package dev.turnlab.server;

import dev.turnlab.server.handler.ServerContexts;
import dev.turnlab.codec.dtls.DtlsCounters;
import dev.turnlab.codec.netty.CodecCounters;
import dev.turnlab.server.admin.AdminServer;
import dev.turnlab.server.admin.MetricsSnapshot;
import dev.turnlab.server.admin.ServerMonitor;
import dev.turnlab.server.cluster.RedisLink;
import dev.turnlab.server.admin.StatusSnapshot;
import dev.turnlab.server.admin.TlsCertificates;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.fault.FaultSwitch;
import dev.turnlab.server.handler.ConnectionCaps;
import dev.turnlab.server.handler.AllocationLog;
import dev.turnlab.server.handler.RequestProcessor;
import dev.turnlab.server.handler.ServerContext;
import dev.turnlab.server.relay.RelayEndpoints;
import dev.turnlab.server.relay.RelayHandler;
import dev.turnlab.server.relay.tcp.TcpRelays;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.MultithreadEventExecutorGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RFC 8656 TURN relay server: {@code TurnServer.builder()...build()} validates the configuration and
 * binds nothing; {@link #start()} binds the listeners; {@link #close()} deletes every allocation and
 * releases every socket. Port 0 asks for ephemeral ports, reported by {@link #udpAddress()} and friends.
 */
public final class TurnServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TurnServer.class);
    private static final long SWEEP_MILLIS = 1000;
    private final TurnServerConfig config;
    private final NettyTransport transport;
    private Listeners listeners;
    // Accepted TCP/TLS connections: shutting the event loops down does not close their sockets.
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private EventLoopGroup group;
    private volatile ServerTls tls;
    private final DtlsCounters dtlsCounters = new DtlsCounters();
    private final CodecCounters codecCounters = new CodecCounters();
    private final FaultSwitch faults = new FaultSwitch();
    private RequestProcessor processor;
    private TcpRelaySockets tcpRelaySockets;
    private ConnectionCaps caps;
    private volatile ServerMonitor monitor;
    private RedisLink redis; // the cluster's Redis, or null for a server on its own
    private EventLoopGroup adminGroup;
    private AdminServer admin;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile boolean serving; // start() completed: only then does close() report a stop
    private ServerCapture capture = ServerCapture.OFF;

    TurnServer(TurnServerConfig config) {
        this.config = config;
        this.transport = NettyTransport.of(config.sockets().ioTransport());
    }

    /** A builder with the defaults of RFC 8656 and the Expressway-E's ports (3478, relays 24000-29999). */
    public static TurnServerBuilder builder() {
        return new TurnServerBuilder();
    }

    /** The validated configuration. */
    public TurnServerConfig config() {
        return config;
    }

    /** Binds every listener and starts serving; returns this server. Fails if a listener cannot bind. */
    public synchronized TurnServer start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        group = transport.group(config.sockets().eventLoops());
        try {
            redis = config.cluster() == null ? null : ClusterSupport.connect(config.cluster(), group);
            capture = ServerCapture.open(config.capture());
            ServerContext context = ServerContexts.create(config,
                    RelayAddressDiscovery.endpoints(config.relay(), config.listeners().addresses()), this::bindRelay, faults,
                    new AllocationLog(config.clock(), config.limits().logRate()), redis);
            TcpRelays tcpRelays = null;
            if (config.relay().tcpRelays()) {
                tcpRelaySockets = new TcpRelaySockets(transport, config.sockets().eventLoops());
                tcpRelays = new TcpRelays(tcpRelaySockets, config.clock(), context.counters(), context.endpoints(),
                        config.limits().connections().connectionBindTimeout(), config.limits().peerQuota());
            }
            processor = new RequestProcessor(context, tcpRelays);
            RelayAddressCheck.verify(processor.context().endpoints());
            ConnectionLimits limits = config.limits().connections();
            caps = new ConnectionCaps(limits.maxConnectionsPerSource(), limits.maxConnections(), counters(),
                    processor.context().log());
            // One certificate for TLS and DTLS, reloaded for both (SIGHUP, file poll, POST /tls/reload).
            tls = ServerTls.start(config.listeners());
            int udpSockets = Listeners.udpSocketsPerAddress(config.sockets(), transport.supportsReusePort(),
                    group instanceof MultithreadEventExecutorGroup m ? m.executorCount() : 1);
            listeners = new Listeners(config.listeners(), udpSockets, new ServerBootstraps(config, transport, group,
                    processor, tls, capture, caps, connections, dtlsCounters, codecCounters), faults.listeners()::bound);
            listeners.bind(UdpListenAddresses.local());
            Set<InetSocketAddress> own = listeners.all();
            processor.context().peers().ownSockets(own);
            RelayEndpoints endpoints = processor.context().endpoints();
            Set<InetAddress> relayAddresses = new HashSet<>();
            for (InetAddress a : new InetAddress[] {endpoints.bindV4(), endpoints.advertisedV4(), endpoints.bindV6(),
                    endpoints.advertisedV6()}) {
                if (a != null) {
                    relayAddresses.add(a);
                }
            }
            PortRange relayPorts = config.relay().ports();
            processor.context().peers().relaySockets(relayAddresses, relayPorts.min(), relayPorts.max());
            faults.start(config.faults());
            ClusterSupport.join(processor.context(), config, udpAddress() != null ? udpAddress() : tcpAddress(), group);
            group.next().scheduleAtFixedRate(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
            monitor = monitor();
            if (config.admin() != null) {
                adminGroup = transport.group(1);
                admin = AdminServer.bind(config.admin().address(), config.admin().token(), monitor, adminGroup,
                        transport.serverChannel());
                own.add(admin.address());
                processor.context().peers().ownSockets(own);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        serving = true;
        LOG.info("TURN server started (io {}): udp={} tcp={} tls={} dtls={} relays {} realm {}{}", transport,
                format(udpAddresses()), format(tcpAddresses()), format(tlsAddresses()), format(dtlsAddresses()),
                RelayAdvertisement.describe(relays(), config.relay().ports()), config.auth().realm(),
                admin == null ? "" : "; admin http://" + FiveTuple.format(admin.address()) + "/status.html"
                        + (config.admin().hasToken() ? " (bearer token)" : " (admin API without a token: loopback only)"));
        return this;
    }

    private static List<String> format(List<InetSocketAddress> addresses) {
        return addresses.stream().map(FiveTuple::format).toList();
    }

    private ServerMonitor monitor() {
        List<StatusSnapshot.Listener> bound = new ArrayList<>();
        udpAddresses().forEach(a -> bound.add(new StatusSnapshot.Listener("udp", a)));
        tcpAddresses().forEach(a -> bound.add(new StatusSnapshot.Listener("tcp", a)));
        tlsAddresses().forEach(a -> bound.add(new StatusSnapshot.Listener("tls", a)));
        dtlsAddresses().forEach(a -> bound.add(new StatusSnapshot.Listener("dtls", a)));
        RelayEndpoints e = processor.context().endpoints();
        List<InetAddress> relayed = new ArrayList<>();
        for (InetAddress a : new InetAddress[] {e.advertisedV4(), e.advertisedV6()}) {
            if (a != null) {
                relayed.add(a);
            }
        }
        StatusSnapshot.Server identity = new StatusSnapshot.Server(ServerMonitor.version(),
                config.profile().name().toLowerCase(Locale.ROOT), config.auth().realm(), config.auth().software(), bound,
                config.relay().ports().min(), config.relay().ports().max(), relayed, transport.toString());
        ServerContext c = processor.context();
        return new ServerMonitor(identity, group, c.allocations(), c.counters(), codecCounters, c.ports(), config.clock(),
                faults, c.redirect(), tls == null ? TlsCertificates.NONE : tls, config, processor::delete,
                () -> ClusterSupport.report(c));
    }

    /**
     * Binds a relay socket: UDP on {@code loop}, read by {@code handler}, recorded when capturing. The socket
     * is made, registered and bound directly, not through a Bootstrap per allocation (options copied into
     * a map and out again, the bind queued as a task): on {@code loop}, the allocating client's, the bind
     * is done when this returns and the Allocate is answered in the same turn. Throws
     * {@link io.netty.channel.ChannelException} when no socket can be had.
     */
    private ChannelFuture bindRelay(EventLoop loop, InetSocketAddress address, RelayHandler handler) {
        DatagramChannel relay = transport.datagramChannel(address.getAddress()).newChannel();
        transport.relayReads(relay.config());
        relay.config().setWriteBufferWaterMark(ServerBootstraps.UDP_WATER_MARK);
        relay.pipeline().addLast(capture.datagram(handler));
        ChannelPromise bound = relay.newPromise();
        loop.register(relay).addListener(registered -> {
            if (registered.isSuccess()) {
                // A socket that cannot bind (another holds the port) is closed, as a Bootstrap would: it is
                // registered and holds a descriptor.
                relay.bind(address, bound).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            } else {
                relay.unsafe().closeForcibly();
                bound.setFailure(registered.cause());
            }
        });
        return bound;
    }

    /** Deletes expired allocations, reservations, permissions and channels: each on its own event loop. */
    private List<Future<?>> sweep() {
        if (closed) {
            return List.of();
        }
        processor.context().reservations().sweep(config.clock().millis());
        processor.context().log().flush();
        processor.context().peers().refreshHostAddresses();
        List<Future<?>> done = new ArrayList<>();
        for (Allocation a : processor.context().allocations().all()) {
            done.add(a.client().eventLoop().submit(() -> processor.expire(a)));
        }
        return done;
    }

    /** Runs the periodic expiry sweep now and waits for it: for tests that move a frozen clock. */
    void sweepNow() {
        sweep().forEach(Future::syncUninterruptibly);
    }

    /** The I/O transport the server runs on: the one configured, or the one {@link IoTransport#AUTO} chose. */
    public IoTransport ioTransport() {
        return transport.choice();
    }

    /**
     * The first bound UDP listener, or null when none: for a wildcard listening address, which UDP binds on each
     * local address, the loopback one (127.0.0.1, or ::1 for {@code ::}) if it is up.
     */
    public InetSocketAddress udpAddress() {
        return first(udpAddresses());
    }

    /** The first bound TCP listener, or null when none. */
    public InetSocketAddress tcpAddress() {
        return first(tcpAddresses());
    }

    /** The first bound DTLS listener (RFC 7350), or null when none. */
    public InetSocketAddress dtlsAddress() {
        return first(dtlsAddresses());
    }

    /** Every bound DTLS listener (one per local address for a wildcard listening address, as for UDP). */
    public List<InetSocketAddress> dtlsAddresses() {
        return listeners == null ? List.of() : listeners.dtlsAddresses();
    }

    /** What the DTLS listeners saw: handshakes, their timeouts and failures, refusals and datagrams dropped. */
    public DtlsCounters dtlsCounters() {
        return dtlsCounters;
    }

    /** The first bound TLS listener, or null when none. */
    public InetSocketAddress tlsAddress() {
        return first(tlsAddresses());
    }

    private static InetSocketAddress first(List<InetSocketAddress> addresses) {
        return addresses.isEmpty() ? null : addresses.get(0);
    }

    /** The address advertised for relays (IPv4 if offered), which is also where remote clients reach a wildcard listener. */
    public InetAddress externalAddress() {
        RelayEndpoints e = processor.context().endpoints();
        return e.advertisedV4() != null ? e.advertisedV4() : e.advertisedV6();
    }

    /** Where the relays of each address family are bound, the address advertised for them and how it was chosen. */
    public List<RelayAdvertisement> relays() {
        return RelayAdvertisement.of(processor.context().endpoints(), config.relay().externalAddresses());
    }

    /** Every bound UDP listener address (one per local address for a wildcard listening address). */
    public List<InetSocketAddress> udpAddresses() {
        return listeners == null ? List.of() : listeners.udpAddresses();
    }

    /** Every bound TCP listener. */
    public List<InetSocketAddress> tcpAddresses() {
        return listeners == null ? List.of() : listeners.tcpAddresses();
    }

    /** Every bound TLS listener. */
    public List<InetSocketAddress> tlsAddresses() {
        return listeners == null ? List.of() : listeners.tlsAddresses();
    }

    /** The live allocations. */
    public List<Allocation> allocations() {
        return processor == null ? List.of() : processor.context().allocations().all();
    }

    /** Counters of bad input and rejections. */
    public ServerCounters counters() {
        return processor.context().counters();
    }

    /** The bound address of the HTTP admin listener, or null when it is off (the default). */
    public InetSocketAddress adminAddress() {
        return admin == null ? null : admin.address();
    }

    /**
     * The server's metrics now, as {@code /metrics} shows them; gathered on the event loops, so it waits
     * for them (at most a few seconds).
     */
    public MetricsSnapshot metrics() {
        return await(runningMonitor().metrics());
    }

    /** The server's status with every active allocation, as {@code /status} shows it. */
    public StatusSnapshot status() {
        return await(runningMonitor().status());
    }

    private ServerMonitor runningMonitor() {
        ServerMonitor m = monitor;
        if (m == null || closed) {
            throw new IllegalStateException("not running");
        }
        return m;
    }

    private static <T> T await(CompletableFuture<T> snapshot) {
        try {
            return snapshot.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("snapshot failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Starts ({@code true}) or ends draining: while draining, every new Allocate is answered 300 Try
     * Alternate (RFC 8489 §10) when alternates are configured, else 508; existing allocations keep working.
     * Returns whether that changed anything; one log line says so when it did.
     */
    public synchronized boolean drain(boolean on) {
        return processor.context().redirect().drain(on);
    }

    /** Whether this server is draining (see {@link #drain}). */
    public synchronized boolean draining() {
        return processor != null && processor.context().redirect().draining();
    }

    /** The lab faults of this server, to switch at run time (see {@link TurnServerBuilder#fault}). */
    public FaultSwitch faults() {
        return faults;
    }

    /**
     * Reads the TLS certificate and key from their files again and serves them to new TLS connections; existing
     * connections keep the certificate they were made with. A bad file (unparsable, half-written, a key that does
     * not match the certificate) keeps the old ones, logs one warning and counts a failure. SIGHUP and {@code
     * POST /tls/reload} call this; the server also does by itself when the files change.
     */
    public TlsReload reloadTlsCertificate() {
        ServerTls t = tls;
        return t == null ? TlsCertificates.NONE.reload() : t.reload();
    }

    /**
     * The TLS listener's certificate and key, for another listener that serves them (it follows reloads with
     * {@link TlsCredentials#onReload}); null before {@link #start()} or without a TLS listener.
     */
    public TlsCredentials tlsCredentials() {
        ServerTls t = tls;
        return t == null ? null : t.credentials();
    }

    /** How many relay ports are free. */
    public int availableRelayPorts() {
        return processor.context().ports().available();
    }

    /** Deletes every allocation, closes every socket and stops the event loops; idempotent. */
    @Override
    public synchronized void close() {
        if (closed || group == null) {
            closed = true;
            return;
        }
        closed = true;
        ClusterSupport.leave(processor == null ? null : processor.context()); // no node sends clients here now
        if (admin != null) {
            admin.close();
        }
        if (adminGroup != null) {
            adminGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        if (listeners != null) {
            listeners.close();
        }
        if (tls != null) {
            tls.close();
        }
        faults.close();
        // Every TCP/TLS connection is closed (TLS with close_notify), which also deletes its allocation.
        for (Channel c : List.copyOf(connections)) {
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (processor != null) {
            List<Allocation> all = processor.context().allocations().all();
            CountDownLatch done = new CountDownLatch(all.stream().mapToInt(a -> a.relays().size()).sum());
            for (Allocation a : all) {
                a.client().eventLoop().execute(() -> {
                    processor.delete(a, dev.turnlab.server.allocation.Deletion.SERVER_CLOSED);
                    a.relays().forEach(r -> r.channel().closeFuture().addListener(f -> done.countDown()));
                });
            }
            try {
                done.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            processor.context().reservations().clear();
        }
        if (redis != null) {
            redis.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (tcpRelaySockets != null) {
            tcpRelaySockets.close();
        }
        capture.close();
        if (serving) {
            LOG.info("TURN server stopped");
        }
    }
}
