package dev.turnlab.server.handler;

import dev.turnlab.server.AlternateServers;
import dev.turnlab.server.ServerCounters;
import dev.turnlab.server.allocation.AllocationTable;
import dev.turnlab.server.allocation.Lifetimes;
import dev.turnlab.server.allocation.RelayPortAllocator;
import dev.turnlab.server.allocation.Reservations;
import dev.turnlab.server.auth.Authenticator;
import dev.turnlab.server.fault.FaultSwitch;
import dev.turnlab.server.relay.PeerPolicy;
import dev.turnlab.server.relay.RelayEndpoints;
import dev.turnlab.server.cluster.ClusterNode;
import dev.turnlab.server.cluster.RedisLink;
import java.time.Clock;

/**
 * Everything the request handlers share: configuration, state tables and the relay socket factory;
 * {@code peerQuota} bounds the permissions and the channel bindings of each allocation; {@code log} writes
 * the event lines; {@code faults} holds the lab faults switched on; {@code redirect} the alternate servers
 * and the drain switch; {@code cluster} the link to the cluster's Redis, or null for a server on its own;
 * {@code node} this server as a node of that cluster (its registry and user quota), or null.
 */
public record ServerContext(Clock clock, String software, Lifetimes lifetimes, Authenticator authenticator,
        AllocationTable allocations, RelayPortAllocator ports, Reservations reservations, PeerPolicy peers,
        RelayEndpoints endpoints, RelayBinder binder, ServerCounters counters, int peerQuota,
        AllocationLog log, FaultSwitch faults, Redirect redirect, RedisLink cluster, ClusterNode node) {

    /** A context whose faults are all off, for embedders and tests that switch none. */
    public ServerContext(Clock clock, String software, Lifetimes lifetimes, Authenticator authenticator,
            AllocationTable allocations, RelayPortAllocator ports, Reservations reservations, PeerPolicy peers,
            RelayEndpoints endpoints, RelayBinder binder, ServerCounters counters, int peerQuota, AllocationLog log) {
        this(clock, software, lifetimes, authenticator, allocations, ports, reservations, peers, endpoints, binder,
                counters, peerQuota, log, new FaultSwitch(), new Redirect(AlternateServers.NONE), null, null);
    }
}
