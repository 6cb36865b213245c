/**
 * The TURN relay server (RFC 8656): {@code TurnServer.builder()}, its configuration, and what a running
 * server shows (allocations, counters, metrics and status snapshots, lab faults).
 *
 * <p>Each exported package below holds types that appear in the public signatures of {@code TurnServer},
 * its builder or its configuration, so it has to be exported; the public types there that no such
 * signature reaches (request handlers, the data path, the authenticator) are public only for use across
 * this module's packages and are not a supported API.
 */
module dev.turnlab.server {
    // TurnServer, TurnServerBuilder, TurnServerConfig and its parts (ListenerConfig, AuthConfig, RelayConfig,
    // LimitsConfig, SocketConfig, ConnectionLimits, LoginLimits, Cidr), PortRange, Profile, RelayAdvertisement,
    // ServerCounters (counters()).
    exports dev.turnlab.server;
    // MetricsSnapshot and StatusSnapshot, from metrics() and status().
    exports dev.turnlab.server.admin;
    // Allocation (allocations()), Lifetimes and RelayPortAllocator (builder settings).
    exports dev.turnlab.server.allocation;
    // FaultSwitch (faults()) and Faults (configuration).
    exports dev.turnlab.server.fault;
    // Not exported, the internals: auth (the authenticator, nonces, credential stores, login limiter), handler
    // (request handling, the listeners' handlers, ServerContexts), relay (the data path, peer policy) and
    // relay.tcp (RFC 6062 TCP relays: peer and client data connections) and cluster (Redis: users, quotas,
    // allocation status, the node registry).

    requires transitive dev.turnlab.codec;
    requires io.netty.codec.http;
    requires io.netty.handler;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;
    requires java.management;
    // The open-file limit behind the default connection cap (ConnectionLimits.defaultMaxConnections).
    requires jdk.management;
    requires org.slf4j;
    // Only a TLS listener without certificate files needs Bouncy Castle (SelfSignedCertificate): an
    // application that wants one puts bcpkix on the module path and requires org.bouncycastle.pkix (or
    // adds it with --add-modules). The native halves of io_uring and epoll are optional in the same way: add
    // io.netty.transport.io_uring.linux.x86_64 or io.netty.transport.epoll.linux.x86_64, or the server runs on
    // the next transport down (epoll, then NIO).
    requires static org.bouncycastle.pkix;
    requires static org.bouncycastle.provider;
    // Only the admin endpoints' /status JSON needs jackson-core (StatusJson); without it an admin listener
    // fails the start in one line.
    requires static com.fasterxml.jackson.core;
    // Only a cluster (ClusterConfig: users, quotas and the node registry in Redis) needs Lettuce; without it a
    // server configured with one fails the start in one line.
    requires static lettuce.core;
}
