package dev.turnlab.server;

import dev.turnlab.codec.capture.CaptureConfig;
import dev.turnlab.server.allocation.RelayPortAllocator;
import dev.turnlab.server.fault.Faults;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;

/**
 * The validated, immutable configuration of a {@link TurnServer}, produced by {@link TurnServerBuilder#build()}:
 * a few named parts, each validated where it is defined, and what belongs to none of them. This record
 * checks only what spans parts: that the relay ports do not hold a listening port.
 *
 * @param listeners where the server listens
 * @param auth how it authenticates and what it says of itself
 * @param relay its relays: ports, addresses, peers and lifetimes
 * @param limits what clients may cost
 * @param sockets threads and socket tuning
 * @param clock the clock of lifetimes and nonces
 * @param portAllocator the relay port allocator, or null for one over {@link RelayConfig#ports()}
 * @param profile the profile whose defaults were applied
 * @param admin the HTTP admin listener, or null for none
 * @param faults the lab faults switched on at start-up
 * @param capture where to record packets, or null to record none
 * @param alternates where a full or draining server sends new allocations (300 Try Alternate)
 * @param cluster the cluster this server joins through Redis, or null for a server on its own
 */
public record TurnServerConfig(ListenerConfig listeners, AuthConfig auth, RelayConfig relay, LimitsConfig limits,
        SocketConfig sockets, Clock clock, RelayPortAllocator portAllocator, Profile profile, AdminConfig admin,
        Faults faults, CaptureConfig capture, AlternateServers alternates, ClusterConfig cluster) {

    /**
     * Checks that every part is there, that there is a source of credentials (local users, a shared secret
     * or a cluster's Redis), that a cluster node has an address clients can be sent to and that the relay
     * ports hold no listening port.
     */
    public TurnServerConfig {
        Objects.requireNonNull(listeners, "listeners");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(sockets, "sockets");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(alternates, "alternates");
        if (auth.users().isEmpty() && auth.authSecret() == null && cluster == null) {
            throw new IllegalArgumentException("users: none (expected: a user, a users file, an auth secret or a Redis)");
        }
        if (cluster != null && cluster.nodeAddress() == null && relay.externalAddresses().isEmpty()
                && listeners.addresses().stream().allMatch(InetAddress::isAnyLocalAddress)) {
            throw new IllegalArgumentException("nodeAddress: none for a cluster node listening on a wildcard address "
                    + "(expected: --node-address HOST:PORT, or --external-address)");
        }
        if (listeners.listensIn(relay.ports())) {
            throw new IllegalArgumentException("relayPorts: " + relay.ports() + " (expected: not containing the listening ports)");
        }
    }

    @Override
    public String toString() {
        // AuthConfig prints no password or shared secret.
        return "TurnServerConfig[" + listeners + " " + auth + " " + relay + " " + limits + " " + sockets + " profile="
                + profile + " admin=" + (admin == null ? "off" : admin.address() + (admin.hasToken() ? " with a token" : " loopback only")) + " faults=" + faults + " capture=" + (capture == null ? "off" : capture.file())
                + " alternates=" + alternates.addresses() + " cluster=" + (cluster == null ? "off" : cluster) + "]";
    }
}
