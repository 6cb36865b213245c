package dev.turnlab.server;

import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.capture.CaptureConfig;
import dev.turnlab.server.admin.AdminServer;
import dev.turnlab.server.admin.AdminToken;
import dev.turnlab.server.allocation.Lifetimes;
import dev.turnlab.server.allocation.RelayPortAllocator;
import dev.turnlab.server.LoginLimits;
import dev.turnlab.server.auth.StaticCredentials;
import dev.turnlab.server.fault.FaultSetting;
import dev.turnlab.server.fault.Faults;
import dev.turnlab.server.Cidr;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link TurnServer}, from {@link TurnServer#builder()}. Every setter checks its argument with the
 * check of the configuration part it fills ({@link ListenerConfig}, {@link AuthConfig}, {@link RelayConfig},
 * {@link LimitsConfig}, {@link SocketConfig}); {@link #build()} constructs the parts, which check the whole,
 * and binds nothing. Profiles set defaults that later setters override.
 */
public final class TurnServerBuilder {
    private final List<InetAddress> listen = new ArrayList<>();
    private int port = ListenerConfig.DEFAULT_PORT;
    private boolean udp = true;
    private boolean tcp = true;
    private int tlsPort = -1;
    /** The DTLS port; null for the default, the TLS port's number when TLS is on (as coturn does). */
    private Integer dtlsPort;
    private Path tlsCertificate;
    private Path tlsPrivateKey;
    private TlsSettings tlsSettings = TlsSettings.DEFAULTS;
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
    private Duration nonceLifetime = AuthConfig.DEFAULT_NONCE_LIFETIME;
    private LoginLimits loginLimits = LoginLimits.DEFAULT;
    private boolean allowLoopbackPeers;
    private boolean tcpRelays = true;
    private final List<Cidr> allowedPeers = new ArrayList<>();
    private final List<Cidr> deniedPeers = new ArrayList<>();
    private Lifetimes lifetimes = Lifetimes.RFC_8656;
    private int userQuota = LimitsConfig.DEFAULT.userQuota();
    private int totalQuota = LimitsConfig.DEFAULT.totalQuota();
    private AlternateServers alternates = AlternateServers.NONE;
    private ClusterConfig cluster;
    private int peerQuota = LimitsConfig.DEFAULT.peerQuota();
    private int logRate = LimitsConfig.DEFAULT.logRate();
    private Duration idleTimeout = LimitsConfig.DEFAULT.idleTimeout();
    private ConnectionLimits connectionLimits = LimitsConfig.DEFAULT.connections();
    private long maxBps = LimitsConfig.DEFAULT.bandwidth().maxBps();
    private long bpsCapacity = LimitsConfig.DEFAULT.bandwidth().bpsCapacity();
    private SocketConfig sockets = SocketConfig.DEFAULT;
    private Clock clock = Clock.systemUTC();
    private RelayPortAllocator portAllocator;
    private InetSocketAddress admin;
    private AdminToken adminToken;
    private Faults faults = Faults.NONE;
    private CaptureConfig capture;

    TurnServerBuilder() {
    }

    /** Adds a listening address (repeatable); the default is the IPv4 wildcard 0.0.0.0. */
    public TurnServerBuilder listen(InetAddress address) {
        listen.add(Objects.requireNonNull(address, "listen"));
        return this;
    }

    /** Adds a listening address given as a numeric IP or host name. */
    public TurnServerBuilder listen(String address) {
        return listen(resolve("listen", address));
    }

    /** The UDP and TCP port, 3478 by default (RFC 8656 §3.1); 0 for an ephemeral port. */
    public TurnServerBuilder port(int port) {
        this.port = ListenerConfig.checkPort("port", port);
        return this;
    }

    /** Whether to listen on UDP (default true). */
    public TurnServerBuilder udp(boolean enabled) {
        this.udp = enabled;
        return this;
    }

    /** Whether to listen on TCP (default true). */
    public TurnServerBuilder tcp(boolean enabled) {
        this.tcp = enabled;
        return this;
    }

    /** Enables the TLS listener on {@code port} (5349 is the standard one, RFC 8656 §3.1); 0 for ephemeral. */
    public TurnServerBuilder tlsPort(int port) {
        this.tlsPort = ListenerConfig.checkPort("tlsPort", port);
        return this;
    }

    /** Disables the TLS listener (the default). */
    public TurnServerBuilder noTls() {
        this.tlsPort = -1;
        return this;
    }

    /**
     * The DTLS listener's port (TURN over DTLS, RFC 7350; 0 for ephemeral), UDP with the TLS certificate. By
     * default a server with TLS has DTLS on the same port number, as coturn does.
     */
    public TurnServerBuilder dtlsPort(int port) {
        this.dtlsPort = ListenerConfig.checkPort("dtlsPort", port);
        return this;
    }

    /** Disables the DTLS listener, also when TLS is on (coturn's {@code no-dtls}). */
    public TurnServerBuilder noDtls() {
        this.dtlsPort = -1;
        return this;
    }

    /** The TLS and DTLS certificate chain and private key, PEM files; without them a self-signed one is generated. */
    public TurnServerBuilder tlsCertificate(Path certificate, Path privateKey) {
        this.tlsCertificate = Objects.requireNonNull(certificate, "tlsCertificate");
        this.tlsPrivateKey = Objects.requireNonNull(privateKey, "tlsPrivateKey");
        return this;
    }

    /**
     * The TLS versions to enable: {@code TLSv1.2}, {@code TLSv1.3} or both (the default); TLS 1.0 and 1.1 never
     * (RFC 8996).
     */
    public TurnServerBuilder tlsProtocols(List<String> protocols) {
        this.tlsSettings = tlsSettings.withProtocols(protocols);
        return this;
    }

    /**
     * The TLS 1.2 cipher suites to enable, by IANA name ({@link TlsSettings#parseCipherList} reads coturn's and
     * OpenSSL's forms); TLS 1.3 suites stay enabled unless one is named. Empty for Netty's defaults.
     */
    public TurnServerBuilder tlsCipherSuites(List<String> suites) {
        this.tlsSettings = tlsSettings.withCipherSuites(suites);
        return this;
    }

    /**
     * How often the certificate and key files are looked at for a renewal (default 5 s); a changed pair is
     * served to new connections ({@link TurnServer#reloadTlsCertificate()}). Zero: only on explicit reloads.
     */
    public TurnServerBuilder tlsReloadInterval(Duration interval) {
        this.tlsSettings = tlsSettings.withReloadInterval(interval);
        return this;
    }

    /** The relay port range, 24000-29999 by default as on the Expressway-E. */
    public TurnServerBuilder relayPorts(int min, int max) {
        this.relayPorts = new PortRange(min, max);
        return this;
    }

    /** The relay port range. */
    public TurnServerBuilder relayPorts(PortRange range) {
        this.relayPorts = Objects.requireNonNull(range, "relayPorts");
        return this;
    }

    /** An address relay sockets bind to, one per family (default: the listening address). */
    public TurnServerBuilder relayAddress(InetAddress address) {
        relayAddresses.add(Objects.requireNonNull(address, "relayAddress"));
        return this;
    }

    /** An address relay sockets bind to, as a numeric IP or host name. */
    public TurnServerBuilder relayAddress(String address) {
        return relayAddress(resolve("relayAddress", address));
    }

    /** The advertised (static NAT) address put in XOR-RELAYED-ADDRESS, one per family. */
    public TurnServerBuilder externalAddress(InetAddress address) {
        externalAddresses.add(Objects.requireNonNull(address, "externalAddress"));
        return this;
    }

    /** The advertised (static NAT) address, as a numeric IP or host name. */
    public TurnServerBuilder externalAddress(String address) {
        return externalAddress(resolve("externalAddress", address));
    }

    /** Applies a profile's defaults (realm, error for a wrong password, SOFTWARE). */
    public TurnServerBuilder profile(Profile profile) {
        this.profile = Objects.requireNonNull(profile, "profile");
        return this;
    }

    /** The realm (RFC 8489 §14.9); default from the profile ("turnlab", or "TANDBERG" for Expressway). */
    public TurnServerBuilder realm(String realm) {
        this.realm = Objects.requireNonNull(realm, "realm");
        return this;
    }

    /** Adds a user of the local authentication database. */
    public TurnServerBuilder user(String name, String password) {
        users.put(AuthConfig.checkUser(name), Objects.requireNonNull(password, "password"));
        return this;
    }

    /** Adds the users of a file with one {@code NAME:PASSWORD} per line. */
    public TurnServerBuilder usersFile(Path file) {
        try {
            users.putAll(StaticCredentials.readUsersFile(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("usersFile: " + file + " (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")");
        }
        return this;
    }

    /** The TURN REST API shared secret (coturn's static-auth-secret): users {@code expiry:name}. */
    public TurnServerBuilder authSecret(String secret) {
        this.authSecret = AuthConfig.checkAuthSecret(secret);
        return this;
    }

    /** The error for a request whose MESSAGE-INTEGRITY does not verify: 401 (default) or 431. */
    public TurnServerBuilder integrityFailure(ErrorCode error) {
        this.integrityFailure = Objects.requireNonNull(error, "integrityFailure");
        return this;
    }

    /** The SOFTWARE attribute of every response (RFC 8489 §14.14); empty for none. */
    public TurnServerBuilder software(String software) {
        this.software = Objects.requireNonNull(software, "software");
        return this;
    }

    /** Whether nonces announce SHA-256 passwords and USERHASH (RFC 8489 §9.2, default true). */
    public TurnServerBuilder securityFeatures(boolean offered) {
        this.securityFeatures = offered;
        return this;
    }

    /** How long a nonce stays valid before 438 Stale Nonce (default 10 minutes). */
    public TurnServerBuilder nonceLifetime(Duration lifetime) {
        this.nonceLifetime = Objects.requireNonNull(lifetime, "nonceLifetime");
        return this;
    }

    /** How many failed logins per address and per user before passwords go unchecked ({@link LoginLimits#DEFAULT}). */
    public TurnServerBuilder loginLimits(LoginLimits limits) {
        this.loginLimits = Objects.requireNonNull(limits, "loginLimits");
        return this;
    }

    /** Allows peers on 127.0.0.0/8 and ::1 (refused by default, RFC 8656 §21.2.3). */
    public TurnServerBuilder allowLoopbackPeers(boolean allow) {
        this.allowLoopbackPeers = allow;
        return this;
    }

    /**
     * Whether clients on TCP or TLS may allocate TCP relays (RFC 6062), as they may by default; without, such an
     * Allocate gets 442 Unsupported Transport Protocol, as with coturn's {@code no-tcp-relay}.
     */
    public TurnServerBuilder tcpRelays(boolean offered) {
        this.tcpRelays = offered;
        return this;
    }

    /** Allows peers in a prefix, overriding the special-purpose and denied lists. */
    public TurnServerBuilder allowPeer(String cidr) {
        allowedPeers.add(Cidr.parse(cidr));
        return this;
    }

    /** Denies peers in a prefix. */
    public TurnServerBuilder denyPeer(String cidr) {
        deniedPeers.add(Cidr.parse(cidr));
        return this;
    }

    /** Allocation, permission and channel timers (default RFC 8656: 600 s, 3600 s, 300 s, 600 s). */
    public TurnServerBuilder lifetimes(Lifetimes lifetimes) {
        this.lifetimes = Objects.requireNonNull(lifetimes, "lifetimes");
        return this;
    }

    /** At most this many allocations per user, then 486 (0: no limit, the default). */
    public TurnServerBuilder userQuota(int quota) {
        this.userQuota = LimitsConfig.checkQuota("userQuota", quota);
        return this;
    }

    /** At most this many allocations in all, then 508 (0: only the relay ports limit, the default). */
    public TurnServerBuilder totalQuota(int quota) {
        this.totalQuota = LimitsConfig.checkQuota("totalQuota", quota);
        return this;
    }

    /** At most this many permissions, and as many channel bindings, per allocation; then 508 (default 1024). */
    public TurnServerBuilder peerQuota(int quota) {
        this.peerQuota = LimitsConfig.checkPeerQuota(quota);
        return this;
    }

    /**
     * At most this many rejection, refusal, refresh and malformed-input log lines per second and client
     * address; the rest are counted in one summary line (default 10; 0: no limit).
     */
    public TurnServerBuilder logRate(int linesPerSecond) {
        this.logRate = LimitsConfig.checkLogRate(linesPerSecond);
        return this;
    }

    /** How long a TCP or TLS connection without an allocation may stay idle before it is closed (default 60 s). */
    public TurnServerBuilder idleTimeout(Duration timeout) {
        this.idleTimeout = LimitsConfig.checkIdleTimeout(timeout);
        return this;
    }

    /**
     * Payload bytes per second each allocation may relay each way, client → peer and peer → client apart, with
     * a burst of one second's worth; datagrams past it are dropped and counted (coturn's max-bps; default 0: no
     * limit).
     */
    public TurnServerBuilder maxBps(long bytesPerSecond) {
        this.maxBps = BandwidthLimits.checkRate("maxBps", bytesPerSecond);
        return this;
    }

    /**
     * The server's bandwidth budget in bytes per second: each allocation reserves its {@link #maxBps} out of
     * it, and an Allocate that does not fit is refused with 508, or 300 to an alternate (coturn's bps-capacity;
     * default 0: no budget). Needs {@link #maxBps}, checked by {@link #build()}.
     */
    public TurnServerBuilder bpsCapacity(long bytesPerSecond) {
        this.bpsCapacity = BandwidthLimits.checkRate("bpsCapacity", bytesPerSecond);
        return this;
    }

    /** Deadlines and caps of TCP and TLS connections without an allocation (default {@link ConnectionLimits#DEFAULT}). */
    public TurnServerBuilder connectionLimits(ConnectionLimits limits) {
        this.connectionLimits = Objects.requireNonNull(limits, "connectionLimits");
        return this;
    }

    /** The number of I/O threads (0, the default: one per processor). */
    public TurnServerBuilder ioThreads(int threads) {
        sockets = sockets.withIoThreads(threads);
        return this;
    }

    /** Netty's I/O transport: {@link IoTransport#AUTO}, the default, takes epoll, else io_uring, else NIO. */
    public TurnServerBuilder ioTransport(IoTransport transport) {
        sockets = sockets.withIoTransport(transport);
        return this;
    }

    /**
     * UDP sockets per listening address, sharing its port with SO_REUSEPORT on io_uring and epoll
     * (0, the default: one per I/O thread; NIO always uses one).
     */
    public TurnServerBuilder udpSockets(int sockets) {
        this.sockets = this.sockets.withUdpSockets(sockets);
        return this;
    }

    /**
     * SO_RCVBUF of the UDP listening sockets, where every client's traffic arrives, in bytes (the
     * kernel doubles it and caps it at net.core.rmem_max); 0 keeps the kernel's default. Relay sockets,
     * one per allocation, keep the kernel's default. A deep buffer absorbs bursts but, once the server
     * falls behind, every queued datagram waits longer: overload shows up as latency before loss.
     */
    public TurnServerBuilder udpReceiveBuffer(int bytes) {
        sockets = sockets.withUdpReceiveBuffer(bytes);
        return this;
    }

    /** SO_SNDBUF of the UDP listening sockets, in bytes; 0 keeps the kernel's default. */
    public TurnServerBuilder udpSendBuffer(int bytes) {
        sockets = sockets.withUdpSendBuffer(bytes);
        return this;
    }

    /** The clock for lifetimes and nonces (tests freeze and advance it). */
    public TurnServerBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** The relay port allocator, replacing the one over {@link #relayPorts}. */
    public TurnServerBuilder relayPortAllocator(RelayPortAllocator allocator) {
        this.portAllocator = Objects.requireNonNull(allocator, "relayPortAllocator");
        return this;
    }

    /**
     * Serves {@code /metrics} (Prometheus), {@code /status} (JSON), {@code /status.html} and the admin API
     * ({@code /api/}) over HTTP on {@code address} (port 0 for an ephemeral one). Off by default. Without
     * an {@link #adminToken} only a loopback address is accepted.
     */
    public TurnServerBuilder admin(InetSocketAddress address) {
        this.admin = Objects.requireNonNull(address, "admin");
        return this;
    }

    /** The admin listener as {@code ADDR:PORT}, for example {@code 127.0.0.1:9641} or {@code [::1]:0}. */
    public TurnServerBuilder admin(String address) {
        return admin(AdminServer.parseAddress(address));
    }

    /**
     * The bearer token the admin listener asks for on every endpoint but the status page's static files:
     * {@link AdminToken#fromFile} or {@link AdminToken#fromEnvironment}.
     */
    public TurnServerBuilder adminToken(AdminToken token) {
        this.adminToken = Objects.requireNonNull(token, "adminToken");
        return this;
    }

    /** Switches a lab fault on from the start, {@code NAME[=VALUE]} (see {@link dev.turnlab.server.fault.Fault}). */
    public TurnServerBuilder fault(String fault) {
        this.faults = faults.with(FaultSetting.parse(fault));
        return this;
    }

    /** Records what every socket sends and receives in pcap files (see {@link CaptureConfig}); off by default. */
    public TurnServerBuilder capture(CaptureConfig capture) {
        this.capture = Objects.requireNonNull(capture, "capture");
        return this;
    }

    /**
     * Adds an alternate server (repeatable): when this server is full (total quota or relay ports) or
     * draining, a new Allocate is answered 300 Try Alternate with ALTERNATE-SERVER naming the alternates in
     * turn (RFC 8489 §10). None by default: full is 508, a user over quota 486 either way.
     */
    public TurnServerBuilder alternateServer(InetSocketAddress address) {
        this.alternates = alternates.with(address);
        return this;
    }

    /** Joins the cluster of servers that share the Redis of {@code config}: users, quotas, status and registry. */
    public TurnServerBuilder cluster(ClusterConfig config) {
        this.cluster = Objects.requireNonNull(config, "cluster");
        return this;
    }

    /** Validates the whole configuration; binds nothing. */
    public TurnServer build() {
        ListenerConfig listeners = new ListenerConfig(listen.isEmpty() ? List.of(wildcard()) : listen, port, udp, tcp,
                tlsPort, tlsCertificate, tlsPrivateKey, dtlsPort != null ? dtlsPort : tlsPort, tlsSettings);
        AuthConfig auth = new AuthConfig(realm != null ? realm : profile.realm(), users, authSecret,
                integrityFailure != null ? integrityFailure : profile.integrityFailure(),
                software != null ? software : profile.software(), securityFeatures, nonceLifetime, loginLimits);
        RelayConfig relay = new RelayConfig(relayPorts, relayAddresses, externalAddresses, allowLoopbackPeers,
                allowedPeers, deniedPeers, lifetimes, tcpRelays);
        LimitsConfig limits = new LimitsConfig(userQuota, totalQuota, peerQuota, logRate, idleTimeout, connectionLimits,
                new BandwidthLimits(maxBps, bpsCapacity));
        return new TurnServer(new TurnServerConfig(listeners, auth, relay, limits, sockets, clock, portAllocator, profile,
                AdminConfig.of(admin, adminToken), faults, capture, alternates, cluster));
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
}
