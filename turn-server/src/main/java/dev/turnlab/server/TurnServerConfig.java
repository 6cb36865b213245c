package dev.turnlab.server;

import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.capture.CaptureConfig;
import dev.turnlab.server.allocation.Lifetimes;
import dev.turnlab.server.allocation.RelayPortAllocator;
import dev.turnlab.server.auth.Authenticator;
import dev.turnlab.server.auth.CredentialStore;
import dev.turnlab.server.auth.LoginLimits;
import dev.turnlab.server.auth.Nonces;
import dev.turnlab.server.fault.Faults;
import dev.turnlab.server.relay.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The validated, immutable configuration of a {@link TurnServer}, produced by {@link TurnServer.Builder#build()}.
 * A port of 0 asks for an ephemeral port; a {@code tlsPort} of -1 means no TLS listener; an {@code admin}
 * address of null means no HTTP admin listener; a UDP socket buffer size of 0 leaves the kernel's default;
 * {@code loginLimits} bound failed logins per address and per user; {@code connectionLimits}
 * bound what TCP and TLS connections without an allocation may cost; {@code faults} are the
 * lab faults switched on at start-up; a {@code capture} of null records no packets.
 */
public record TurnServerConfig(
        List<InetAddress> listenAddresses, int port, boolean udp, boolean tcp, int tlsPort,
        Path tlsCertificate, Path tlsPrivateKey,
        PortRange relayPorts, List<InetAddress> relayAddresses, List<InetAddress> externalAddresses,
        String realm, Map<String, String> users, String authSecret, ErrorCode integrityFailure, String software,
        boolean securityFeatures, Duration nonceLifetime,
        boolean allowLoopbackPeers, List<Cidr> allowedPeers, List<Cidr> deniedPeers,
        Lifetimes lifetimes, int userQuota, int totalQuota, int peerQuota, int logRate,
        Clock clock, RelayPortAllocator portAllocator, int ioThreads, int udpSockets, Duration idleTimeout,
        Profile profile, InetSocketAddress admin, int udpReceiveBuffer, int udpSendBuffer,
        LoginLimits loginLimits, ConnectionLimits connectionLimits, Faults faults, CaptureConfig capture) {

    /** Copies the collections. */
    public TurnServerConfig {
        listenAddresses = List.copyOf(listenAddresses);
        relayAddresses = List.copyOf(relayAddresses);
        externalAddresses = List.copyOf(externalAddresses);
        users = Map.copyOf(users);
        allowedPeers = List.copyOf(allowedPeers);
        deniedPeers = List.copyOf(deniedPeers);
    }

    /**
     * The long-term credential checks of this configuration (realm, nonces and the RFC 8489 security
     * features, the integrity-failure code, the login limits) over {@code credentials}.
     */
    Authenticator authenticator(CredentialStore credentials) {
        int features = securityFeatures ? Nonces.PASSWORD_ALGORITHMS | Nonces.USERNAME_ANONYMITY : 0;
        return new Authenticator(realm, credentials, new Nonces(clock, nonceLifetime, features), integrityFailure, clock,
                loginLimits);
    }

    /** Whether a TLS listener is configured. */
    public boolean tls() {
        return tlsPort >= 0;
    }

    @Override
    public String toString() {
        // Never print passwords or the shared secret.
        return "TurnServerConfig[listen=" + listenAddresses + " port=" + port + " udp=" + udp + " tcp=" + tcp
                + " tlsPort=" + tlsPort + " relayPorts=" + relayPorts + " relayAddresses=" + relayAddresses
                + " externalAddresses=" + externalAddresses + " realm=" + realm + " users=" + users.keySet()
                + " authSecret=" + (authSecret == null ? "none" : "set") + " integrityFailure=" + integrityFailure
                + " allowLoopbackPeers=" + allowLoopbackPeers + " allowedPeers=" + allowedPeers
                + " deniedPeers=" + deniedPeers + " userQuota=" + userQuota + " totalQuota=" + totalQuota
                + " peerQuota=" + peerQuota + " logRate=" + logRate + " profile=" + profile + " admin=" + admin + " loginLimits=" + loginLimits + " connectionLimits=" + connectionLimits + " faults=" + faults
                + " capture=" + (capture == null ? "off" : capture.file()) + "]";
    }
}
