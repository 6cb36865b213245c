package dev.turnlab.client.check;

import dev.turnlab.client.RelayTransport;
import dev.turnlab.client.Transport;
import dev.turnlab.codec.dtls.DtlsEngines;
import dev.turnlab.codec.attribute.AddressFamily;
import dev.turnlab.codec.capture.CaptureConfig;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a check does.
 *
 * @param username the long-term credentials' user name, or null to test reachability only
 * @param password the password, with {@code username}
 * @param expectedRealm the realm the server should announce, or null to accept any
 * @param transport the one transport to use, or null for UDP with TCP tried as well (and used when UDP
 *     gets no answer)
 * @param relayTest whether to send data through the relay to a local peer and back
 * @param timeout how long one request, connection or relayed packet may take
 * @param probes how many Binding requests measure the round trip
 * @param sslContext the TLS client context, or null for the JDK's trusted certificates
 * @param required the transports that must answer for the check to pass (CMS's guide wants UDP and TCP);
 *     empty to pass when one answers
 * @param tcpPort the server's TCP port when it is not the one checked on UDP (CMS's
 *     {@code tcpPortNumberOverride}), or 0
 * @param clientAddress the public address browsers are given for the server (CMS's {@code clientAddress}),
 *     compared with the relayed address; or null
 * @param capture the pcap files to record the check's packets in (to the servers and of the relay
 *     test's peer), or null for none
 * @param relayFamily the family of the relayed address to ask for (REQUESTED-ADDRESS-FAMILY, RFC 8656
 *     §7.2), or null to ask for none (the server allocates IPv4)
 * @param relayTransport the relay to ask for: UDP, or TCP (RFC 6062), checked over TCP or TLS (null: UDP)
 * @param dtlsEngines the DTLS client engines (trust, server name check), or null for the JDK's trusted certificates
 */
public record CheckOptions(String username, String password, String expectedRealm, Transport transport,
        boolean relayTest, Duration timeout, int probes, SslContext sslContext, Set<Transport> required, int tcpPort,
        InetAddress clientAddress, CaptureConfig capture, AddressFamily relayFamily, RelayTransport relayTransport,
        DtlsEngines dtlsEngines) {

    /** Five probes, five seconds per request. */
    public static final CheckOptions DEFAULTS = new CheckOptions(null, null, null, null, false, Duration.ofSeconds(5), 5,
            null, Set.of(), 0, null, null, null, RelayTransport.UDP, null);

    /**
     * Checks that credentials come in pairs, the timeout is positive, there is at least one probe, the
     * TCP port is a port, only transports that are tried are required, and a TCP relay is not asked for
     * over UDP.
     */
    public CheckOptions {
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("credentials: a user needs a password and a password a user");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        if (probes < 1 || probes > 100) {
            throw new IllegalArgumentException("probes: " + probes + " (expected: 1-100)");
        }
        if (tcpPort < 0 || tcpPort > 65535) {
            throw new IllegalArgumentException("tcpPort: " + tcpPort + " (expected: 1-65535)");
        }
        required = Set.copyOf(required);
        relayTransport = relayTransport != null ? relayTransport : RelayTransport.UDP;
        if (relayTransport == RelayTransport.TCP && transport != null && !transport.isReliable()) {
            throw new IllegalArgumentException("relay transport: tcp over " + transport.name().toLowerCase(Locale.ROOT)
                    + " (expected: transport tcp or tls, or"
                    + " none: RFC 6062 TCP relays are asked for over a TCP or TLS connection to the server)");
        }
        Set<Transport> tried = transport != null ? EnumSet.of(transport) : EnumSet.of(Transport.UDP, Transport.TCP);
        for (Transport t : required) {
            if (!tried.contains(t)) {
                throw new IllegalArgumentException("require: " + t.name().toLowerCase(Locale.ROOT) + " (expected: "
                        + (transport != null ? "only the transport tried, " + transport.name().toLowerCase(Locale.ROOT)
                                : "udp or tcp, the transports tried") + ")");
            }
        }
    }

    /** These options with credentials. */
    public CheckOptions withCredentials(String user, String pass) {
        return new CheckOptions(user, pass, expectedRealm, transport, relayTest, timeout, probes, sslContext, required,
                tcpPort, clientAddress, capture, relayFamily, relayTransport, dtlsEngines);
    }

    /** These options expecting {@code realm}. */
    public CheckOptions withExpectedRealm(String realm) {
        return new CheckOptions(username, password, realm, transport, relayTest, timeout, probes, sslContext, required,
                tcpPort, clientAddress, capture, relayFamily, relayTransport, dtlsEngines);
    }

    /** These options on one transport only. */
    public CheckOptions withTransport(Transport only) {
        return new CheckOptions(username, password, expectedRealm, only, relayTest, timeout, probes, sslContext, required,
                tcpPort, clientAddress, capture, relayFamily, relayTransport, dtlsEngines);
    }

    /** These options with or without the relay test. */
    public CheckOptions withRelayTest(boolean run) {
        return new CheckOptions(username, password, expectedRealm, transport, run, timeout, probes, sslContext, required,
                tcpPort, clientAddress, capture, relayFamily, relayTransport, dtlsEngines);
    }

    /** These options with another timeout. */
    public CheckOptions withTimeout(Duration perRequest) {
        return new CheckOptions(username, password, expectedRealm, transport, relayTest, perRequest, probes, sslContext,
                required, tcpPort, clientAddress, capture, relayFamily, relayTransport, dtlsEngines);
    }

    /** These options with another number of probes. */
    public CheckOptions withProbes(int count) {
        return new CheckOptions(username, password, expectedRealm, transport, relayTest, timeout, count, sslContext,
                required, tcpPort, clientAddress, capture, relayFamily, relayTransport, dtlsEngines);
    }

    /** These options with a TLS client context. */
    public CheckOptions withSslContext(SslContext context) {
        return new CheckOptions(username, password, expectedRealm, transport, relayTest, timeout, probes, context,
                required, tcpPort, clientAddress, capture, relayFamily, relayTransport, dtlsEngines);
    }

    /** These options with DTLS client engines (see {@link dev.turnlab.client.TurnClient.Builder#dtlsEngines}). */
    public CheckOptions withDtlsEngines(DtlsEngines engines) {
        return new CheckOptions(username, password, expectedRealm, transport, relayTest, timeout, probes, sslContext,
                required, tcpPort, clientAddress, capture, relayFamily, relayTransport, engines);
    }

    /** These options requiring {@code transports} to answer. */
    public CheckOptions withRequired(Set<Transport> transports) {
        return new CheckOptions(username, password, expectedRealm, transport, relayTest, timeout, probes, sslContext,
                transports, tcpPort, clientAddress, capture, relayFamily, relayTransport, dtlsEngines);
    }

    /** These options checking TCP on {@code port} (0: the port checked on UDP). */
    public CheckOptions withTcpPort(int port) {
        return new CheckOptions(username, password, expectedRealm, transport, relayTest, timeout, probes, sslContext,
                required, port, clientAddress, capture, relayFamily, relayTransport, dtlsEngines);
    }

    /** These options comparing the relayed address with {@code address}, the public one browsers are given. */
    public CheckOptions withClientAddress(InetAddress address) {
        return new CheckOptions(username, password, expectedRealm, transport, relayTest, timeout, probes, sslContext,
                required, tcpPort, address, capture, relayFamily, relayTransport, dtlsEngines);
    }

    /** These options recording the check's packets as {@code capture} says (null: none). */
    public CheckOptions withCapture(CaptureConfig capture) {
        return new CheckOptions(username, password, expectedRealm, transport, relayTest, timeout, probes, sslContext,
                required, tcpPort, clientAddress, capture, relayFamily, relayTransport, dtlsEngines);
    }

    /** These options asking Allocate for a relayed address of {@code family} (null: none asked, IPv4). */
    public CheckOptions withRelayFamily(AddressFamily family) {
        return new CheckOptions(username, password, expectedRealm, transport, relayTest, timeout, probes, sslContext,
                required, tcpPort, clientAddress, capture, family, relayTransport, dtlsEngines);
    }

    /**
     * These options asking Allocate for a relay of {@code relay}: {@link RelayTransport#TCP} (RFC 6062) checks
     * it over TCP (or TLS), and the relay test connects to a local TCP echo peer through it.
     */
    public CheckOptions withRelayTransport(RelayTransport relay) {
        return new CheckOptions(username, password, expectedRealm, transport, relayTest, timeout, probes, sslContext,
                required, tcpPort, clientAddress, capture, relayFamily, relay, dtlsEngines);
    }

    @Override
    public String toString() {
        // Never the password.
        return "CheckOptions[user=" + username + ", expectedRealm=" + expectedRealm + ", transport=" + transport
                + ", relayTest=" + relayTest + ", timeout=" + timeout + ", probes=" + probes + ", required=" + required
                + ", tcpPort=" + tcpPort + ", clientAddress=" + clientAddress + ", capture=" + (capture == null ? "off" : capture.file())
                + ", relayFamily=" + relayFamily + ", relayTransport=" + relayTransport + "]";
    }
}
