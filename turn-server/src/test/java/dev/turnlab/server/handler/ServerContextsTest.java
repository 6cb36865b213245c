package dev.turnlab.server.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.allocation.AllocationTable.Admission;
import dev.turnlab.server.allocation.RangePortAllocator;
import dev.turnlab.server.fault.FaultSwitch;
import dev.turnlab.server.PortRange;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.TurnServerConfig;
import dev.turnlab.server.relay.RelayEndpoints;
import dev.turnlab.testing.tools.MutableClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The handlers' shared context is made from the configuration, with the caller's relay endpoints and binder. */
class ServerContextsTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final RelayEndpoints ENDPOINTS = new RelayEndpoints(LOOPBACK, LOOPBACK, null, null);

    private final MutableClock clock = MutableClock.now();

    @Test
    void quotasPeersTimersAndIdentityComeFromTheConfiguration() {
        TurnServerConfig config = TurnServer.builder().user("alice", "secret").realm("lab").software("lab server")
                .clock(clock).relayPorts(31000, 31009).userQuota(1).peerQuota(3).allowLoopbackPeers(true).build()
                .config();
        FaultSwitch faults = new FaultSwitch();

        ServerContext context = ServerContexts.create(config, ENDPOINTS, (loop, address, handler) -> null, faults);

        assertThat(context.clock()).isSameAs(clock);
        assertThat(context.software()).isEqualTo("lab server");
        assertThat(context.authenticator().realm()).isEqualTo("lab");
        assertThat(context.lifetimes()).isEqualTo(config.relay().lifetimes());
        assertThat(context.peerQuota()).isEqualTo(3);
        assertThat(context.allocations().admit("alice")).isEqualTo(Admission.ADMITTED);
        assertThat(context.allocations().admit("alice")).isEqualTo(Admission.USER_QUOTA_REACHED);
        assertThat(context.ports().available()).isEqualTo(10);
        assertThat(context.peers().rule(new InetSocketAddress(LOOPBACK, 40000)).verdict().permitted()).isTrue();
        assertThat(context.endpoints()).isSameAs(ENDPOINTS);
        assertThat(context.faults()).isSameAs(faults);
    }

    @Test
    void aConfiguredPortAllocatorReplacesTheOneOverTheRelayPorts() {
        RangePortAllocator ports = new RangePortAllocator(new PortRange(32000, 32001));
        TurnServerConfig config = TurnServer.builder().user("alice", "secret").relayPortAllocator(ports).build().config();

        ServerContext context = ServerContexts.create(config, ENDPOINTS, (loop, address, handler) -> null, new FaultSwitch());

        assertThat(context.ports()).isSameAs(ports);
        assertThat(context.reservations()).isNotNull();
        assertThat(context.peers().rule(new InetSocketAddress(LOOPBACK, 40000)).verdict().permitted()).isFalse();
    }
}
