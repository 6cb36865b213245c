package dev.turnlab.server.handler;

import dev.turnlab.server.AuthConfig;
import dev.turnlab.server.RelayConfig;
import dev.turnlab.server.auth.Authenticator;
import dev.turnlab.server.auth.CredentialStore;
import dev.turnlab.server.auth.Nonces;
import dev.turnlab.server.auth.SharedSecretCredentials;
import dev.turnlab.server.auth.StaticCredentials;
import dev.turnlab.server.relay.PeerPolicy;
import java.util.Set;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.TurnServerConfig;
import dev.turnlab.server.LimitsConfig;
import dev.turnlab.server.allocation.AllocationTable;
import dev.turnlab.server.allocation.RangePortAllocator;
import dev.turnlab.server.allocation.RelayPortAllocator;
import dev.turnlab.server.allocation.Reservations;
import dev.turnlab.server.fault.FaultSwitch;
import dev.turnlab.server.handler.AllocationLog;
import dev.turnlab.server.handler.RelayBinder;
import dev.turnlab.server.handler.ServerContext;
import dev.turnlab.server.ServerCounters;
import dev.turnlab.server.relay.RelayEndpoints;
import dev.turnlab.server.cluster.AllocationStatus;
import dev.turnlab.server.cluster.ClusterNode;
import dev.turnlab.server.cluster.RedisLink;
import dev.turnlab.server.cluster.RedisPeerRules;
import dev.turnlab.server.cluster.RedisUsers;
import java.time.Clock;

/**
 * The one way to assemble the {@link ServerContext} that a server's request handlers share: its state
 * (allocation table, relay ports, reservations, peer policy, counters) made fresh from a
 * {@link TurnServerConfig}, with what is not configuration given by the caller: where relays bind and what
 * they advertise, how a relay socket is bound, the event log and the lab faults. {@link TurnServer} binds
 * real sockets; tests and benchmarks bind embedded channels.
 */
public final class ServerContexts {

    /** How long an RFC 8656 §7.2 RESERVATION-TOKEN holds its relay port, in milliseconds. */
    static final long RESERVATION_MILLIS = 30_000;

    private ServerContexts() {
    }

    /** A context for {@code config}, logging events at the configured rate. */
    public static ServerContext create(TurnServerConfig config, RelayEndpoints endpoints, RelayBinder binder,
            FaultSwitch faults) {
        return create(config, endpoints, binder, faults, new AllocationLog(config.clock(), config.limits().logRate()));
    }

    /** A context for {@code config} that writes its events to {@code log}, on its own (no cluster). */
    public static ServerContext create(TurnServerConfig config, RelayEndpoints endpoints, RelayBinder binder,
            FaultSwitch faults, AllocationLog log) {
        return create(config, endpoints, binder, faults, log, null);
    }

    /**
     * A context for {@code config} that writes its events to {@code log} and reaches its cluster's Redis
     * through {@code cluster} (null for a server on its own).
     */
    public static ServerContext create(TurnServerConfig config, RelayEndpoints endpoints, RelayBinder binder,
            FaultSwitch faults, AllocationLog log, RedisLink cluster) {
        Clock clock = config.clock();
        RelayPortAllocator ports = config.portAllocator() != null ? config.portAllocator()
                : new RangePortAllocator(config.relay().ports(), clock, RangePortAllocator.DEFAULT_BACK_OFF);
        LimitsConfig limits = config.limits();
        ServerCounters counters = new ServerCounters();
        PeerPolicy peers = peerPolicy(config.relay());
        AllocationLog events = log;
        if (cluster != null) {
            String realm = config.auth().realm();
            RedisPeerRules rules = new RedisPeerRules(cluster, realm, peers);
            cluster.every(cluster.config().userCacheTtl(), rules::refresh);
            events = log.withEvents(new AllocationStatus(cluster, realm, counters.cluster(), clock,
                    AllocationStatus.DEFAULT_TRAFFIC_INTERVAL));
        }
        ClusterNode node = cluster == null ? null : new ClusterNode(cluster, config.auth().realm(), limits.userQuota());
        return new ServerContext(clock, config.auth().software(), config.relay().lifetimes(),
                authenticator(config.auth(), clock, cluster, counters), new AllocationTable(limits.userQuota(),
                        limits.totalQuota(), limits.bandwidth().maxBps(), limits.bandwidth().bpsCapacity()), ports,
                new Reservations(ports, RESERVATION_MILLIS), peers, endpoints, binder,
                counters, limits.peerQuota(), events, faults,
                new Redirect(config.alternates(), node == null ? null : node.registry()), cluster, node);
    }

    /** The long-term credential checks of {@code auth}: the local users, then, with a shared secret, TURN REST API users. */
    static Authenticator authenticator(AuthConfig auth, Clock clock) {
        return authenticator(auth, clock, null, null);
    }

    /**
     * The long-term credential checks of {@code auth}: the local users, then, with a shared secret, TURN REST
     * API users, then, in a cluster, the users and shared secrets of its Redis.
     */
    static Authenticator authenticator(AuthConfig auth, Clock clock, RedisLink cluster, ServerCounters counters) {
        CredentialStore local = new StaticCredentials(auth.users());
        CredentialStore credentials = auth.authSecret() == null ? local
                : CredentialStore.firstOf(local, new SharedSecretCredentials(auth.authSecret()));
        if (cluster != null) {
            credentials = CredentialStore.firstOf(credentials, new RedisUsers(cluster, auth.realm(),
                    counters.cluster(), clock, RedisUsers.DEFAULT_MAX_LOOKUPS));
        }
        int features = auth.securityFeatures() ? Nonces.PASSWORD_ALGORITHMS | Nonces.USERNAME_ANONYMITY : 0;
        return new Authenticator(auth.realm(), credentials, new Nonces(clock, auth.nonceLifetime(), features),
                auth.integrityFailure(), clock, auth.loginLimits());
    }

    /** The peer rules of {@code relay}; live allocations are added as the server runs. */
    static PeerPolicy peerPolicy(RelayConfig relay) {
        return new PeerPolicy(relay.allowLoopbackPeers(), relay.allowedPeers(), relay.deniedPeers(), Set.of());
    }
}
