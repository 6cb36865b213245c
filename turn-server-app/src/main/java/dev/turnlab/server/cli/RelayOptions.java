package dev.turnlab.server.cli;

import dev.turnlab.cli.DurationConverter;
import dev.turnlab.server.PortRange;
import dev.turnlab.server.TurnServerBuilder;
import dev.turnlab.server.allocation.Lifetimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The relays: their ports and addresses, which peers they reach, and how long what they hold lives. */
final class RelayOptions {

    @Option(names = "--relay-ports", paramLabel = "MIN-MAX", description = "Relay port range (default 24000-29999).")
    String relayPorts;

    @Option(names = "--relay-address", paramLabel = "ADDR", description = "Address relay sockets bind to, one per family (default: the listening address).")
    List<String> relayAddresses = new ArrayList<>();

    @Option(names = "--external-address", paramLabel = "ADDR", description = "Advertised (static NAT) relay address, one per family.")
    List<String> externalAddresses = new ArrayList<>();

    @Option(names = "--allow-loopback-peers", description = "Allow peers on 127.0.0.0/8 and ::1.")
    boolean allowLoopbackPeers;

    @Option(names = "--allow-peer", paramLabel = "CIDR", description = "Allow peers in a prefix (repeatable).")
    List<String> allowPeers = new ArrayList<>();

    @Option(names = "--deny-peer", paramLabel = "CIDR", description = "Deny peers in a prefix (repeatable).")
    List<String> denyPeers = new ArrayList<>();

    @Option(names = "--no-tcp-relay", description = "No TCP relays (RFC 6062): an Allocate asking for one gets 442.")
    boolean noTcpRelay;

    @Option(names = "--max-allocate-lifetime", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest allocation lifetime granted, e.g. 3600 (seconds; default 3600s, RFC 8656 §7.2).")
    Duration maxAllocateLifetime;

    @Option(names = "--channel-lifetime", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Channel binding lifetime (default 600s, RFC 8656 §12).")
    Duration channelLifetime;

    @Option(names = "--permission-lifetime", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Permission lifetime (default 300s, RFC 8656 §9).")
    Duration permissionLifetime;

    /** Sets the relay ports, addresses, peer rules and lifetimes on {@code b}. */
    void applyTo(TurnServerBuilder b) {
        if (relayPorts != null) {
            b.relayPorts(PortRange.parse(relayPorts));
        }
        relayAddresses.forEach(b::relayAddress);
        externalAddresses.forEach(b::externalAddress);
        b.allowLoopbackPeers(allowLoopbackPeers);
        allowPeers.forEach(b::allowPeer);
        denyPeers.forEach(b::denyPeer);
        b.lifetimes(lifetimes());
        b.tcpRelays(!noTcpRelay);
    }

    private Lifetimes lifetimes() {
        Lifetimes rfc = Lifetimes.RFC_8656;
        Duration max = maxAllocateLifetime != null ? Main.seconds("max-allocate-lifetime", maxAllocateLifetime) : rfc.maxAllocation();
        // A maximum below the default lowers the default with it, as coturn does.
        Duration defaultAllocation = rfc.defaultAllocation().compareTo(max) > 0 ? max : rfc.defaultAllocation();
        return new Lifetimes(defaultAllocation, max,
                permissionLifetime != null ? Main.seconds("permission-lifetime", permissionLifetime) : rfc.permission(),
                channelLifetime != null ? Main.seconds("channel-lifetime", channelLifetime) : rfc.channel(), rfc.channelHold());
    }
}
