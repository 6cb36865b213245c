package dev.turnlab.server;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a {@link TurnServer} listens (RFC 8656 §3.1): the listening addresses, the port UDP and TCP share,
 * and the TLS and DTLS (RFC 7350) listeners with their certificate. Validated when constructed.
 *
 * @param addresses the listening addresses, at least one (a wildcard stands for every local address)
 * @param port the UDP and TCP port, 0 for an ephemeral one
 * @param udp whether to listen on UDP
 * @param tcp whether to listen on TCP
 * @param tlsPort the TLS port, 0 for an ephemeral one, -1 for no TLS listener
 * @param tlsCertificate the PEM certificate chain, or null for a generated self-signed one
 * @param tlsPrivateKey the PEM private key of {@code tlsCertificate}, or null
 * @param dtlsPort the DTLS port (UDP, with the TLS certificate), 0 for an ephemeral one, -1 for no DTLS listener
 * @param tlsSettings the TLS listener's protocol versions, cipher suites and certificate reload interval
 */
public record ListenerConfig(List<InetAddress> addresses, int port, boolean udp, boolean tcp, int tlsPort,
        Path tlsCertificate, Path tlsPrivateKey, int dtlsPort, TlsSettings tlsSettings) {

    /** The standard TURN port for UDP and TCP (RFC 8656 §3.1). */
    public static final int DEFAULT_PORT = 3478;

    /** Validates every component and copies the addresses. */
    public ListenerConfig {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("listen: none (expected: at least one listening address)");
        }
        checkPort("port", port);
        if (tlsPort != -1) {
            checkPort("tlsPort", tlsPort);
        }
        if (dtlsPort != -1) {
            checkPort("dtlsPort", dtlsPort);
        }
        Objects.requireNonNull(tlsSettings, "tlsSettings");
        if (tlsCertificate != null || tlsPrivateKey != null) {
            Objects.requireNonNull(tlsCertificate, "tlsCertificate");
            Objects.requireNonNull(tlsPrivateKey, "tlsPrivateKey");
        }
        if (!udp && !tcp && tlsPort < 0 && dtlsPort < 0) {
            throw new IllegalArgumentException("listeners: none (expected: UDP, TCP, TLS or DTLS enabled)");
        }
        if (tlsPort > 0 && tlsPort == port) {
            throw new IllegalArgumentException("tlsPort: " + tlsPort + " (expected: not the UDP/TCP port)");
        }
        if (dtlsPort > 0 && dtlsPort == port && udp) {
            throw new IllegalArgumentException("dtlsPort: " + dtlsPort + " (expected: not the UDP port)");
        }
    }

    /** Listeners without DTLS, with the default {@link TlsSettings}. */
    public ListenerConfig(List<InetAddress> addresses, int port, boolean udp, boolean tcp, int tlsPort,
            Path tlsCertificate, Path tlsPrivateKey) {
        this(addresses, port, udp, tcp, tlsPort, tlsCertificate, tlsPrivateKey, -1, TlsSettings.DEFAULTS);
    }

    /** Whether a TLS listener is configured. */
    public boolean tls() {
        return tlsPort >= 0;
    }

    /** Whether a DTLS listener is configured (RFC 7350). */
    public boolean dtls() {
        return dtlsPort >= 0;
    }

    /** Whether {@code ports} holds one of the fixed listening ports (an ephemeral one cannot be known yet). */
    boolean listensIn(PortRange ports) {
        return port != 0 && ports.contains(port) || tlsPort > 0 && ports.contains(tlsPort)
                || dtlsPort > 0 && ports.contains(dtlsPort);
    }

    /** Returns {@code port} if it is a port number, else throws the one-line message naming {@code what}. */
    static int checkPort(String what, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + ": " + port + " (expected: 0-65535)");
        }
        return port;
    }
}
