package dev.turnlab.server;

import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.capture.CaptureConfig;
import dev.turnlab.server.admin.AdminServer;
import dev.turnlab.server.admin.MetricsSnapshot;
import dev.turnlab.server.admin.ServerMonitor;
import dev.turnlab.server.admin.StatusSnapshot;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.allocation.AllocationTable;
import dev.turnlab.server.allocation.Lifetimes;
import dev.turnlab.server.allocation.RangePortAllocator;
import dev.turnlab.server.allocation.RelayPortAllocator;
import dev.turnlab.server.allocation.Reservations;
import dev.turnlab.server.allocation.Transport;
import dev.turnlab.server.auth.Authenticator;
import dev.turnlab.server.auth.CredentialStore;
import dev.turnlab.server.auth.LoginLimits;
import dev.turnlab.server.auth.SharedSecretCredentials;
import dev.turnlab.server.auth.StaticCredentials;
import dev.turnlab.server.fault.FaultSetting;
import dev.turnlab.server.fault.FaultSwitch;
import dev.turnlab.server.fault.Faults;
import dev.turnlab.server.handler.AllocationLog;
import dev.turnlab.server.handler.ConnectionCaps;
import dev.turnlab.server.handler.RelayBinder;
import dev.turnlab.server.handler.RequestProcessor;
import dev.turnlab.server.handler.ServerContext;
import dev.turnlab.server.handler.ServerCounters;
import dev.turnlab.server.handler.UdpListenerHandler;
import dev.turnlab.server.relay.AddressScope;
import dev.turnlab.server.relay.Cidr;
import dev.turnlab.server.relay.PeerPolicy;
import dev.turnlab.server.relay.RelayEndpoints;
import dev.turnlab.codec.netty.CodecCounters;
import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.handler.ssl.SslContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.MultithreadEventExecutorGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
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
    /** The default SO_RCVBUF and SO_SNDBUF of UDP sockets, see {@link Builder#udpReceiveBuffer}. */
    static final int DEFAULT_UDP_BUFFER = 4 << 20;

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
    private final NettyTransport transport = NettyTransport.best();
    private final List<InetSocketAddress> udpAddresses = new ArrayList<>();
    private final List<InetSocketAddress> tcpAddresses = new ArrayList<>();
    private final List<InetSocketAddress> tlsAddresses = new ArrayList<>();
    private final List<Channel> listeners = new ArrayList<>();
    // Accepted TCP/TLS connections: shutting the event loops down does not close their sockets.
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private EventLoopGroup group;
    private SslContext sslContext;
    private final CodecCounters codecCounters = new CodecCounters();
    private final FaultSwitch faults = new FaultSwitch();
    private RequestProcessor processor;
    private ConnectionCaps caps;
    private Reservations reservations;
    private volatile ServerMonitor monitor;
    private EventLoopGroup adminGroup;
    private AdminServer admin;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile boolean serving; // start() completed: only then does close() report a stop
    private ServerCapture capture = ServerCapture.OFF;

    private TurnServer(TurnServerConfig config) {
        this.config = config;
    }

    /** A builder with the defaults of RFC 8656 and the Expressway-E's ports (3478, relays 24000-29999). */
    public static Builder builder() {
        return new Builder();
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
        group = transport.group(ioThreads());
        try {
            capture = ServerCapture.open(config.capture());
            processor = new RequestProcessor(context());
            RelayAddressCheck.verify(processor.context().endpoints());
            ConnectionLimits limits = config.connectionLimits();
            caps = new ConnectionCaps(limits.maxConnectionsPerSource(), limits.maxConnections(), counters(),
                    processor.context().log());
            if (config.tls()) {
                sslContext = TlsSupport.serverContext(config.tlsCertificate(), config.tlsPrivateKey());
            }
            List<List<InetAddress>> udpOn = UdpListenAddresses.of(config.listenAddresses(), UdpListenAddresses.local());
            for (int i = 0; i < udpOn.size(); i++) {
                bindListeners(config.listenAddresses().get(i), udpOn.get(i));
            }
            Set<InetSocketAddress> own = new HashSet<>(udpAddresses);
            own.addAll(tcpAddresses);
            own.addAll(tlsAddresses);
            processor.context().peers().ownSockets(own);
            RelayEndpoints endpoints = processor.context().endpoints();
            Set<InetAddress> relayAddresses = new HashSet<>();
            for (InetAddress a : new InetAddress[] {endpoints.bindV4(), endpoints.advertisedV4(), endpoints.bindV6(),
                    endpoints.advertisedV6()}) {
                if (a != null) {
                    relayAddresses.add(a);
                }
            }
            processor.context().peers().relaySockets(relayAddresses, config.relayPorts().min(), config.relayPorts().max());
            faults.start(config.faults());
            group.next().scheduleAtFixedRate(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
            monitor = monitor();
            if (config.admin() != null) {
                adminGroup = transport.group(1);
                admin = AdminServer.bind(config.admin(), monitor, adminGroup, transport.serverChannel());
                own.add(admin.address());
                processor.context().peers().ownSockets(own);
            }
        } catch (javax.net.ssl.SSLException e) {
            close();
            throw new IllegalArgumentException("tlsCertificate: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        serving = true;
        LOG.info("TURN server started ({}): udp={} tcp={} tls={} relays {} realm {}{}", transport,
                udpAddresses.stream().map(FiveTuple::format).toList(), tcpAddresses.stream().map(FiveTuple::format).toList(),
                tlsAddresses.stream().map(FiveTuple::format).toList(),
                RelayAdvertisement.describe(relays(), config.relayPorts()), config.realm(),
                admin == null ? "" : "; admin http://" + FiveTuple.format(admin.address()) + "/status.html");
        return this;
    }

    private ServerMonitor monitor() {
        List<StatusSnapshot.Listener> bound = new ArrayList<>();
        udpAddresses.forEach(a -> bound.add(new StatusSnapshot.Listener("udp", a)));
        tcpAddresses.forEach(a -> bound.add(new StatusSnapshot.Listener("tcp", a)));
        tlsAddresses.forEach(a -> bound.add(new StatusSnapshot.Listener("tls", a)));
        RelayEndpoints e = processor.context().endpoints();
        List<InetAddress> relayed = new ArrayList<>();
        for (InetAddress a : new InetAddress[] {e.advertisedV4(), e.advertisedV6()}) {
            if (a != null) {
                relayed.add(a);
            }
        }
        StatusSnapshot.Server identity = new StatusSnapshot.Server(ServerMonitor.version(),
                config.profile().name().toLowerCase(Locale.ROOT), config.realm(), config.software(), bound,
                config.relayPorts().min(), config.relayPorts().max(), relayed);
        ServerContext c = processor.context();
        return new ServerMonitor(identity, group, c.allocations(), c.counters(), codecCounters, c.ports(), config.clock(),
                faults);
    }

    private ServerContext context() {
        Clock clock = config.clock();
        RelayPortAllocator ports = config.portAllocator() != null ? config.portAllocator()
                : new RangePortAllocator(config.relayPorts(), clock, RangePortAllocator.DEFAULT_BACK_OFF);
        reservations = new Reservations(ports, 30_000);
        Authenticator authenticator = config.authenticator(credentials());
        PeerPolicy peers = new PeerPolicy(config.allowLoopbackPeers(), config.allowedPeers(), config.deniedPeers(),
                Set.of());
        RelayBinder binder = (loop, address, handler) -> transport.datagramReads(new Bootstrap().group(loop)
                .channelFactory(transport.datagramChannel(address.getAddress())))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, UDP_WATER_MARK)
                .handler(capture.datagram(handler)).bind(address);
        return new ServerContext(clock, config.software(), config.lifetimes(), authenticator,
                new AllocationTable(config.userQuota(), config.totalQuota()), ports, reservations, peers,
                relayEndpoints(), binder, new ServerCounters(), config.peerQuota(),
                new AllocationLog(clock, config.logRate()), faults);
    }

    private CredentialStore credentials() {
        CredentialStore users = new StaticCredentials(config.users());
        return config.authSecret() == null ? users
                : CredentialStore.firstOf(users, new SharedSecretCredentials(config.authSecret()));
    }

    /** Binds TCP to {@code address} and UDP to {@code udpOn} (see {@link UdpListenAddresses}), all on one port. */
    private void bindListeners(InetAddress address, List<InetAddress> udpOn) {
        // With port 0, the other sockets take the port the first UDP one got; if another socket holds it, start over.
        int attempts = config.port() == 0 && (config.tcp() || udpOn.size() > 1) ? 10 : 1;
        for (int attempt = 1; ; attempt++) {
            List<Channel> udp = new ArrayList<>();
            try {
                int port = config.port();
                for (InetAddress a : config.udp() ? udpOn : List.<InetAddress>of()) {
                    port = bindUdp(a, port, udp);
                }
                if (config.tcp()) {
                    Channel tcp = bind(streamBootstrap(Transport.TCP, null), new InetSocketAddress(address, port), "tcp");
                    tcpAddresses.add((InetSocketAddress) tcp.localAddress());
                }
                udp.stream().map(c -> (InetSocketAddress) c.localAddress()).distinct().forEach(udpAddresses::add);
                break;
            } catch (UncheckedIOException e) {
                udp.forEach(c -> {
                    listeners.remove(c);
                    c.close().awaitUninterruptibly();
                });
                if (attempt >= attempts) {
                    throw e;
                }
            }
        }
        if (config.tls()) {
            Channel tls = bind(streamBootstrap(Transport.TLS, sslContext), new InetSocketAddress(address, config.tlsPort()), "tls");
            tlsAddresses.add((InetSocketAddress) tls.localAddress());
        }
    }

    /** Adds to {@code bound} the UDP sockets of one address, one per event loop where epoll allows; returns their port. */
    private int bindUdp(InetAddress address, int port, List<Channel> bound) {
        int sockets = transport.supportsReusePort() ? udpSocketCount() : 1;
        for (int i = 0; i < sockets; i++) {
            bound.add(bind(udpBootstrap(address, sockets > 1), new InetSocketAddress(address, port), "udp"));
            port = ((InetSocketAddress) bound.get(bound.size() - 1).localAddress()).getPort();
        }
        return port;
    }

    private Bootstrap udpBootstrap(InetAddress address, boolean reusePort) {
        Bootstrap b = transport.datagramReads(new Bootstrap().group(group).channelFactory(transport.datagramChannel(address)))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, UDP_WATER_MARK)
                .handler(capture.datagram(UdpListenerHandler.perChannel(processor)));
        // 0 keeps the kernel's default (net.core.rmem_default, wmem_default).
        if (config.udpReceiveBuffer() > 0) {
            b.option(ChannelOption.SO_RCVBUF, config.udpReceiveBuffer());
        }
        if (config.udpSendBuffer() > 0) {
            b.option(ChannelOption.SO_SNDBUF, config.udpSendBuffer());
        }
        return reusePort ? transport.reusePort(b) : b;
    }

    /** One event loop per processor unless configured: more threads than cores only add context switches. */
    private int ioThreads() {
        return config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
    }

    private int udpSocketCount() {
        if (config.udpSockets() > 0) {
            return config.udpSockets();
        }
        return group instanceof MultithreadEventExecutorGroup m ? m.executorCount() : 1;
    }

    private ServerBootstrap streamBootstrap(Transport kind, SslContext ssl) {
        return new ServerBootstrap().group(group).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Past the high mark a connection is unwritable and relayed data to it is dropped, not queued.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, STREAM_WATER_MARK)
                .childOption(ChannelOption.ALLOCATOR, StreamInitializer.ALLOCATOR)
                .childHandler(new StreamInitializer(kind, ssl, config, processor, codecCounters, caps, connections, capture));
    }

    private Channel bind(AbstractBootstrap<?, ?> bootstrap, InetSocketAddress address, String what) {
        ChannelFuture f = bootstrap.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw ListenerBindException.of(what, address, f.cause());
        }
        listeners.add(f.channel());
        faults.listeners().bound(what, f.channel(), bootstrap);
        return f.channel();
    }

    private RelayEndpoints relayEndpoints() {
        InetAddress bindV4 = pick(config.relayAddresses(), Inet4Address.class);
        InetAddress bindV6 = pick(config.relayAddresses(), Inet6Address.class);
        InetAddress listenV4 = pick(config.listenAddresses(), Inet4Address.class);
        InetAddress listenV6 = pick(config.listenAddresses(), Inet6Address.class);
        if (bindV4 == null && bindV6 == null) {
            // The relay address defaults to the listening address (wildcard included).
            bindV4 = listenV4;
            bindV6 = listenV6;
        }
        InetAddress advertisedV4 = pick(config.externalAddresses(), Inet4Address.class);
        InetAddress advertisedV6 = pick(config.externalAddresses(), Inet6Address.class);
        if (advertisedV4 == null && bindV4 != null) {
            advertisedV4 = bindV4.isAnyLocalAddress() ? hostAddress(Inet4Address.class) : bindV4;
        }
        if (advertisedV6 == null && bindV6 != null) {
            advertisedV6 = bindV6.isAnyLocalAddress() ? hostAddress(Inet6Address.class) : bindV6;
        }
        if (bindV6 != null && advertisedV6 == null) {
            bindV6 = null; // no usable IPv6 address on this host
        }
        return new RelayEndpoints(bindV4, advertisedV4, bindV6, advertisedV6);
    }

    private static InetAddress pick(List<InetAddress> addresses, Class<? extends InetAddress> family) {
        for (InetAddress a : addresses) {
            if (family.isInstance(a)) {
                return a;
            }
        }
        return null;
    }

    /** The first global (else private or other special, else loopback) address of the family on an interface that is up. */
    static InetAddress hostAddress(Class<? extends InetAddress> family) {
        InetAddress siteLocal = null;
        InetAddress loopback = null;
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    AddressScope scope = AddressScope.of(a);
                    if (!family.isInstance(a) || scope == AddressScope.LINK_LOCAL) {
                        continue;
                    }
                    if (scope == AddressScope.LOOPBACK) {
                        loopback = loopback == null ? a : loopback;
                    } else if (scope != AddressScope.GLOBAL) {
                        siteLocal = siteLocal == null ? a : siteLocal;
                    } else {
                        return a;
                    }
                }
            }
        } catch (SocketException e) {
            LOG.debug("cannot list interfaces: {}", e.toString());
        }
        return siteLocal != null ? siteLocal : loopback;
    }

    /** Deletes expired allocations, reservations, permissions and channels: each on its own event loop. */
    private List<Future<?>> sweep() {
        if (closed) {
            return List.of();
        }
        reservations.sweep(config.clock().millis());
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

    /**
     * The first bound UDP listener, or null when none: for a wildcard listening address, which UDP binds on each
     * local address, the loopback one (127.0.0.1, or ::1 for {@code ::}) if it is up.
     */
    public InetSocketAddress udpAddress() {
        return udpAddresses.isEmpty() ? null : udpAddresses.get(0);
    }

    /** The first bound TCP listener, or null when none. */
    public InetSocketAddress tcpAddress() {
        return tcpAddresses.isEmpty() ? null : tcpAddresses.get(0);
    }

    /** The first bound TLS listener, or null when none. */
    public InetSocketAddress tlsAddress() {
        return tlsAddresses.isEmpty() ? null : tlsAddresses.get(0);
    }

    /** The address advertised for relays (IPv4 if offered), which is also where remote clients reach a wildcard listener. */
    public InetAddress externalAddress() {
        RelayEndpoints e = processor.context().endpoints();
        return e.advertisedV4() != null ? e.advertisedV4() : e.advertisedV6();
    }

    /** Where the relays of each address family are bound, the address advertised for them and how it was chosen. */
    public List<RelayAdvertisement> relays() {
        return RelayAdvertisement.of(processor.context().endpoints(), config.externalAddresses());
    }

    /** Every bound UDP listener address (one per local address for a wildcard listening address). */
    public List<InetSocketAddress> udpAddresses() {
        return List.copyOf(udpAddresses);
    }

    /** Every bound TCP listener. */
    public List<InetSocketAddress> tcpAddresses() {
        return List.copyOf(tcpAddresses);
    }

    /** Every bound TLS listener. */
    public List<InetSocketAddress> tlsAddresses() {
        return List.copyOf(tlsAddresses);
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

    /** The lab faults of this server, to switch at run time (see {@link Builder#fault}). */
    public FaultSwitch faults() {
        return faults;
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
        if (admin != null) {
            admin.close();
        }
        if (adminGroup != null) {
            adminGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        for (Channel c : listeners) {
            c.close().awaitUninterruptibly();
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
                    processor.delete(a, "server closed");
                    a.relays().forEach(r -> r.channel().closeFuture().addListener(f -> done.countDown()));
                });
            }
            try {
                done.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reservations.clear();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        capture.close();
        if (serving) {
            LOG.info("TURN server stopped");
        }
    }

    /**
     * Builds a {@link TurnServer}. Every setter validates its argument; {@link #build()} checks the whole
     * and binds nothing. Profiles set defaults that later setters override.
     */
    public static final class Builder {
        private final List<InetAddress> listen = new ArrayList<>();
        private int port = 3478;
        private boolean udp = true;
        private boolean tcp = true;
        private int tlsPort = -1;
        private Path tlsCertificate;
        private Path tlsPrivateKey;
        private PortRange relayPorts = PortRange.EXPRESSWAY;
        private final List<InetAddress> relayAddresses = new ArrayList<>();
        private final List<InetAddress> externalAddresses = new ArrayList<>();
        private Profile profile = Profile.STANDARD;
        private String realm;
        private final Map<String, String> users = new LinkedHashMap<>();
        private String authSecret;
        private ErrorCode integrityFailure;
        private String software;
        private boolean securityFeatures = true;
        private Duration nonceLifetime = Duration.ofMinutes(10);
        private boolean allowLoopbackPeers;
        private final List<Cidr> allowedPeers = new ArrayList<>();
        private final List<Cidr> deniedPeers = new ArrayList<>();
        private Lifetimes lifetimes = Lifetimes.RFC_8656;
        private int userQuota;
        private int totalQuota;
        private int peerQuota = 1024;
        private int logRate = 10;
        private Clock clock = Clock.systemUTC();
        private RelayPortAllocator portAllocator;
        private int ioThreads;
        private int udpSockets;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private int udpReceiveBuffer = DEFAULT_UDP_BUFFER;
        private int udpSendBuffer = DEFAULT_UDP_BUFFER;
        private InetSocketAddress admin;
        private LoginLimits loginLimits = LoginLimits.DEFAULT;
        private ConnectionLimits connectionLimits = ConnectionLimits.DEFAULT;
        private Faults faults = Faults.NONE;
        private CaptureConfig capture;

        private Builder() {
        }

        /** Adds a listening address (repeatable); the default is the IPv4 wildcard 0.0.0.0. */
        public Builder listen(InetAddress address) {
            listen.add(Objects.requireNonNull(address, "listen"));
            return this;
        }

        /** Adds a listening address given as a numeric IP or host name. */
        public Builder listen(String address) {
            return listen(resolve("listen", address));
        }

        /** The UDP and TCP port, 3478 by default (RFC 8656 §3.1); 0 for an ephemeral port. */
        public Builder port(int port) {
            this.port = checkPort("port", port);
            return this;
        }

        /** Whether to listen on UDP (default true). */
        public Builder udp(boolean enabled) {
            this.udp = enabled;
            return this;
        }

        /** Whether to listen on TCP (default true). */
        public Builder tcp(boolean enabled) {
            this.tcp = enabled;
            return this;
        }

        /** Enables the TLS listener on {@code port} (5349 is the standard one, RFC 8656 §3.1); 0 for ephemeral. */
        public Builder tlsPort(int port) {
            this.tlsPort = checkPort("tlsPort", port);
            return this;
        }

        /** Disables the TLS listener (the default). */
        public Builder noTls() {
            this.tlsPort = -1;
            return this;
        }

        /** The TLS certificate chain and private key, PEM files; without them a self-signed one is generated. */
        public Builder tlsCertificate(Path certificate, Path privateKey) {
            this.tlsCertificate = Objects.requireNonNull(certificate, "tlsCertificate");
            this.tlsPrivateKey = Objects.requireNonNull(privateKey, "tlsPrivateKey");
            return this;
        }

        /** The relay port range, 24000-29999 by default as on the Expressway-E. */
        public Builder relayPorts(int min, int max) {
            this.relayPorts = new PortRange(min, max);
            return this;
        }

        /** The relay port range. */
        public Builder relayPorts(PortRange range) {
            this.relayPorts = Objects.requireNonNull(range, "relayPorts");
            return this;
        }

        /** An address relay sockets bind to, one per family (default: the listening address). */
        public Builder relayAddress(InetAddress address) {
            relayAddresses.add(Objects.requireNonNull(address, "relayAddress"));
            return this;
        }

        /** An address relay sockets bind to, as a numeric IP or host name. */
        public Builder relayAddress(String address) {
            return relayAddress(resolve("relayAddress", address));
        }

        /** The advertised (static NAT) address put in XOR-RELAYED-ADDRESS, one per family. */
        public Builder externalAddress(InetAddress address) {
            externalAddresses.add(Objects.requireNonNull(address, "externalAddress"));
            return this;
        }

        /** The advertised (static NAT) address, as a numeric IP or host name. */
        public Builder externalAddress(String address) {
            return externalAddress(resolve("externalAddress", address));
        }

        /** Applies a profile's defaults (realm, error for a wrong password, SOFTWARE). */
        public Builder profile(Profile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /** The realm (RFC 8489 §14.9); default from the profile ("turnlab", or "TANDBERG" for Expressway). */
        public Builder realm(String realm) {
            this.realm = Objects.requireNonNull(realm, "realm");
            return this;
        }

        /** Adds a user of the local authentication database. */
        public Builder user(String name, String password) {
            if (name == null || name.isEmpty() || name.indexOf(':') >= 0) {
                throw new IllegalArgumentException("user: " + name + " (expected: a non-empty name without ':')");
            }
            users.put(name, Objects.requireNonNull(password, "password"));
            return this;
        }

        /** Adds the users of a file with one {@code NAME:PASSWORD} per line. */
        public Builder usersFile(Path file) {
            try {
                users.putAll(StaticCredentials.readUsersFile(file));
            } catch (IOException e) {
                throw new IllegalArgumentException("usersFile: " + file + " (" + e.getClass().getSimpleName()
                        + ": " + e.getMessage() + ")");
            }
            return this;
        }

        /** The TURN REST API shared secret (coturn's static-auth-secret): users {@code expiry:name}. */
        public Builder authSecret(String secret) {
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("authSecret: empty (expected: a shared secret)");
            }
            this.authSecret = secret;
            return this;
        }

        /** The error for a request whose MESSAGE-INTEGRITY does not verify: 401 (default) or 431. */
        public Builder integrityFailure(ErrorCode error) {
            this.integrityFailure = Objects.requireNonNull(error, "integrityFailure");
            return this;
        }

        /** The SOFTWARE attribute of every response (RFC 8489 §14.14). */
        public Builder software(String software) {
            this.software = Objects.requireNonNull(software, "software");
            return this;
        }

        /** Whether nonces announce SHA-256 passwords and USERHASH (RFC 8489 §9.2, default true). */
        public Builder securityFeatures(boolean offered) {
            this.securityFeatures = offered;
            return this;
        }

        /** How long a nonce stays valid before 438 Stale Nonce (default 10 minutes). */
        public Builder nonceLifetime(Duration lifetime) {
            this.nonceLifetime = Objects.requireNonNull(lifetime, "nonceLifetime");
            return this;
        }

        /** Allows peers on 127.0.0.0/8 and ::1 (refused by default, RFC 8656 §21.2.3). */
        public Builder allowLoopbackPeers(boolean allow) {
            this.allowLoopbackPeers = allow;
            return this;
        }

        /** Allows peers in a prefix, overriding the special-purpose and denied lists. */
        public Builder allowPeer(String cidr) {
            allowedPeers.add(Cidr.parse(cidr));
            return this;
        }

        /** Denies peers in a prefix. */
        public Builder denyPeer(String cidr) {
            deniedPeers.add(Cidr.parse(cidr));
            return this;
        }

        /** Allocation, permission and channel timers (default RFC 8656: 600 s, 3600 s, 300 s, 600 s). */
        public Builder lifetimes(Lifetimes lifetimes) {
            this.lifetimes = Objects.requireNonNull(lifetimes, "lifetimes");
            return this;
        }

        /** At most this many allocations per user, then 486 (0: no limit, the default). */
        public Builder userQuota(int quota) {
            this.userQuota = checkQuota("userQuota", quota);
            return this;
        }

        /** At most this many allocations in all, then 508 (0: only the relay ports limit, the default). */
        public Builder totalQuota(int quota) {
            this.totalQuota = checkQuota("totalQuota", quota);
            return this;
        }

        /**
         * At most this many permissions, and as many channel bindings, per allocation; then 508
         * (default 1024).
         */
        public Builder peerQuota(int quota) {
            if (quota < 1) {
                throw new IllegalArgumentException("peerQuota: " + quota + " (expected: >= 1)");
            }
            this.peerQuota = quota;
            return this;
        }

        /**
         * At most this many rejection, refusal, refresh and malformed-input log lines per second and client
         * address; the rest are counted in one summary line (default 10; 0: no limit).
         */
        public Builder logRate(int linesPerSecond) {
            if (linesPerSecond < 0) {
                throw new IllegalArgumentException("logRate: " + linesPerSecond + " (expected: >= 0, 0 for no limit)");
            }
            this.logRate = linesPerSecond;
            return this;
        }

        /** The clock for lifetimes and nonces (tests freeze and advance it). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The relay port allocator, replacing the one over {@link #relayPorts}. */
        public Builder relayPortAllocator(RelayPortAllocator allocator) {
            this.portAllocator = Objects.requireNonNull(allocator, "relayPortAllocator");
            return this;
        }

        /** The number of I/O threads (0, the default: one per processor). */
        public Builder ioThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("ioThreads: " + threads + " (expected: >= 0)");
            }
            this.ioThreads = threads;
            return this;
        }

        /**
         * UDP sockets per listening address, sharing its port with SO_REUSEPORT where epoll is available
         * (0, the default: one per I/O thread; NIO always uses one).
         */
        public Builder udpSockets(int sockets) {
            if (sockets < 0) {
                throw new IllegalArgumentException("udpSockets: " + sockets + " (expected: >= 0)");
            }
            this.udpSockets = sockets;
            return this;
        }

        /** How long a TCP or TLS connection without an allocation may stay idle before it is closed (default 60 s). */
        public Builder idleTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout: " + timeout + " (expected: positive)");
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * SO_RCVBUF of the UDP listening sockets, where every client's traffic arrives, in bytes (the
         * kernel doubles it and caps it at net.core.rmem_max); 0 keeps the kernel's default. Relay sockets,
         * one per allocation, keep the kernel's default. A deep buffer absorbs bursts but, once the server
         * falls behind, every queued datagram waits longer: overload shows up as latency before loss.
         */
        public Builder udpReceiveBuffer(int bytes) {
            this.udpReceiveBuffer = checkBuffer("udpReceiveBuffer", bytes);
            return this;
        }

        /** SO_SNDBUF of the UDP listening sockets, in bytes; 0 keeps the kernel's default. */
        public Builder udpSendBuffer(int bytes) {
            this.udpSendBuffer = checkBuffer("udpSendBuffer", bytes);
            return this;
        }

        /**
         * Serves {@code /metrics} (Prometheus), {@code /status} (JSON) and {@code /status.html} over HTTP on
         * {@code address} (port 0 for an ephemeral one). Off by default; it has no authentication, so bind
         * it to loopback or a management network.
         */
        public Builder admin(InetSocketAddress address) {
            this.admin = Objects.requireNonNull(address, "admin");
            return this;
        }

        /** The admin listener as {@code ADDR:PORT}, for example {@code 127.0.0.1:9641} or {@code [::1]:0}. */
        public Builder admin(String address) {
            return admin(AdminServer.parseAddress(address));
        }

        /** How many failed logins per address and per user before passwords go unchecked ({@link LoginLimits#DEFAULT}). */
        public Builder loginLimits(LoginLimits limits) {
            this.loginLimits = Objects.requireNonNull(limits, "loginLimits");
            return this;
        }

        /** Deadlines and caps of TCP and TLS connections without an allocation (default {@link ConnectionLimits#DEFAULT}). */
        public Builder connectionLimits(ConnectionLimits limits) {
            this.connectionLimits = Objects.requireNonNull(limits, "connectionLimits");
            return this;
        }

        /** Switches a lab fault on from the start, {@code NAME[=VALUE]} (see {@link dev.turnlab.server.fault.Fault}). */
        public Builder fault(String fault) {
            this.faults = faults.with(FaultSetting.parse(fault));
            return this;
        }

        /** Records what every socket sends and receives in pcap files (see {@link CaptureConfig}); off by default. */
        public Builder capture(CaptureConfig capture) {
            this.capture = Objects.requireNonNull(capture, "capture");
            return this;
        }

        /** Validates the whole configuration; binds nothing. */
        public TurnServer build() {
            if (!udp && !tcp && tlsPort < 0) {
                throw new IllegalArgumentException("listeners: none (expected: UDP, TCP or TLS enabled)");
            }
            if (users.isEmpty() && authSecret == null) {
                throw new IllegalArgumentException("users: none (expected: a user, a users file or an auth secret)");
            }
            if (tlsPort > 0 && tlsPort == port) {
                throw new IllegalArgumentException("tlsPort: " + tlsPort + " (expected: not the UDP/TCP port)");
            }
            if (port != 0 && relayPorts.contains(port) || tlsPort > 0 && relayPorts.contains(tlsPort)) {
                throw new IllegalArgumentException("relayPorts: " + relayPorts + " (expected: not containing the listening ports)");
            }
            checkFamilies();
            if (nonceLifetime.isNegative() || nonceLifetime.isZero()) {
                throw new IllegalArgumentException("nonceLifetime: " + nonceLifetime + " (expected: positive)");
            }
            String effectiveRealm = realm != null ? realm : profile.realm();
            if (effectiveRealm.isEmpty() || effectiveRealm.length() > 127) {
                throw new IllegalArgumentException("realm: '" + effectiveRealm + "' (expected: 1-127 characters, RFC 8489 §14.9)");
            }
            List<InetAddress> listenAddresses = listen.isEmpty() ? List.of(wildcard()) : listen;
            return new TurnServer(new TurnServerConfig(listenAddresses, port, udp, tcp, tlsPort, tlsCertificate,
                    tlsPrivateKey, relayPorts, relayAddresses, externalAddresses, effectiveRealm, users, authSecret,
                    integrityFailure != null ? integrityFailure : profile.integrityFailure(),
                    software != null ? software : profile.software(), securityFeatures, nonceLifetime,
                    allowLoopbackPeers, allowedPeers, deniedPeers, lifetimes, userQuota, totalQuota, peerQuota, logRate,
                    clock, portAllocator, ioThreads, udpSockets, idleTimeout, profile, admin, udpReceiveBuffer,
                    udpSendBuffer, loginLimits, connectionLimits, faults,
                    capture));
        }

        private void checkFamilies() {
            for (List<InetAddress> list : List.of(relayAddresses, externalAddresses)) {
                String what = list == relayAddresses ? "relayAddress" : "externalAddress";
                if (list.stream().filter(a -> a instanceof Inet4Address).count() > 1
                        || list.stream().filter(a -> a instanceof Inet6Address).count() > 1) {
                    throw new IllegalArgumentException(what + ": " + list + " (expected: at most one per address family)");
                }
                for (InetAddress a : list) {
                    if (a.isMulticastAddress()) {
                        throw new IllegalArgumentException(what + ": " + a.getHostAddress() + " (expected: a unicast address)");
                    }
                }
            }
            for (InetAddress a : externalAddresses) {
                if (a.isAnyLocalAddress()) {
                    throw new IllegalArgumentException("externalAddress: " + a.getHostAddress() + " (expected: a concrete address)");
                }
            }
        }

        private static InetAddress wildcard() {
            try {
                return InetAddress.getByAddress(new byte[4]);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }

        private static InetAddress resolve(String what, String address) {
            try {
                return InetAddress.getByName(Objects.requireNonNull(address, what).trim());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(what + ": " + address + " (expected: an IP address or resolvable name)");
            }
        }

        private static int checkPort(String what, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(what + ": " + port + " (expected: 0-65535)");
            }
            return port;
        }

        private static int checkBuffer(String what, int bytes) {
            if (bytes < 0 || bytes > 1 << 30) {
                throw new IllegalArgumentException(what + ": " + bytes + " (expected: 0-1073741824 bytes, 0 for the kernel's default)");
            }
            return bytes;
        }

        private static int checkQuota(String what, int quota) {
            if (quota < 0) {
                throw new IllegalArgumentException(what + ": " + quota + " (expected: >= 0, 0 for no limit)");
            }
            return quota;
        }
    }
}
