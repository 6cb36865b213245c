package dev.turnlab.server;

import dev.turnlab.server.allocation.AllocationTable;
import dev.turnlab.server.allocation.RangePortAllocator;
import dev.turnlab.server.allocation.RelayPortAllocator;
import dev.turnlab.server.allocation.Reservations;
import dev.turnlab.server.fault.FaultSwitch;
import dev.turnlab.server.handler.AllocationLog;
import dev.turnlab.server.handler.RelayBinder;
import dev.turnlab.server.handler.ServerContext;
import dev.turnlab.server.handler.ServerCounters;
import dev.turnlab.server.relay.RelayEndpoints;
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

    /** A context for {@code config} that writes its events to {@code log}. */
    public static ServerContext create(TurnServerConfig config, RelayEndpoints endpoints, RelayBinder binder,
            FaultSwitch faults, AllocationLog log) {
        Clock clock = config.clock();
        RelayPortAllocator ports = config.portAllocator() != null ? config.portAllocator()
                : new RangePortAllocator(config.relay().ports(), clock, RangePortAllocator.DEFAULT_BACK_OFF);
        LimitsConfig limits = config.limits();
        return new ServerContext(clock, config.auth().software(), config.relay().lifetimes(),
                config.auth().authenticator(clock), new AllocationTable(limits.userQuota(), limits.totalQuota()), ports,
                new Reservations(ports, RESERVATION_MILLIS), config.relay().peerPolicy(), endpoints, binder,
                new ServerCounters(), limits.peerQuota(), log, faults);
    }
}
