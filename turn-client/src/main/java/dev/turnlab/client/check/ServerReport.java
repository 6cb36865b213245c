package dev.turnlab.client.check;

import dev.turnlab.client.RelayTransport;
import dev.turnlab.client.Transport;
import dev.turnlab.codec.attribute.ErrorCode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a check found out about one server: the fields of CMS's {@code /turnservers/<id>/status}
 * (reachable, round-trip time, mapped address) and what a Callbridge learns only when media fails
 * (credentials, allocation, relay), with the {@link Finding}s that explain any problem. Immutable.
 *
 * @param server the server, with the port that was checked
 * @param address the server's IP address as resolved and checked, or null when the name did not resolve
 * @param transports what each transport tried did
 * @param transport the transport the rest of the check used, or null when none answered
 * @param roundTrip the Binding round trips, or null when none answered
 * @param mappedAddress the client's address as the server saw it, or null
 * @param credentials whether the credentials were accepted
 * @param allocation whether Allocate succeeded
 * @param relay whether data crossed the relay
 * @param findings the problems and warnings, most fundamental first
 */
public record ServerReport(ServerAddress server, InetAddress address, List<TransportProbe> transports, Transport transport,
        RoundTrip roundTrip, InetSocketAddress mappedAddress, CredentialCheck credentials, AllocationCheck allocation,
        RelayCheck relay, List<Finding> findings) {

    /** Copies the lists. */
    public ServerReport {
        Objects.requireNonNull(server, "server");
        transports = List.copyOf(transports);
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(allocation, "allocation");
        Objects.requireNonNull(relay, "relay");
        findings = List.copyOf(findings);
    }

    /** Whether the server answered a Binding request on some transport. */
    public boolean reachable() {
        return transport != null;
    }

    /** The exit code of the most fundamental problem (3 unreachable ... 6 relay), 0 when there is none. */
    public int exitCode() {
        return findings.stream().mapToInt(Finding::exitCode).filter(c -> c != 0).min().orElse(0);
    }

    /** The exit code of a run over {@code reports}: the most fundamental problem among them, 0 when there is none. */
    public static int exitCode(List<ServerReport> reports) {
        return reports.stream().mapToInt(ServerReport::exitCode).filter(c -> c != 0).min().orElse(ExitCodes.OK);
    }

    /** CMS's {@code <status>}: {@code success} when the check found no problem, {@code failure} otherwise. */
    public String status() {
        return exitCode() == 0 ? "success" : "failure";
    }

    /** This report with its findings. */
    ServerReport withFindings(List<Finding> diagnosed) {
        return new ServerReport(server, address, transports, transport, roundTrip, mappedAddress, credentials, allocation,
                relay, diagnosed);
    }

    /**
     * What one transport did.
     *
     * @param transport the transport
     * @param port the server's port on this transport
     * @param outcome what happened
     * @param detail the error in words, or empty
     * @param required whether the check fails when this transport does not answer ({@code --require})
     */
    public record TransportProbe(Transport transport, int port, Outcome outcome, String detail, boolean required) {
        /** What happened on a transport. */
        public enum Outcome {
            /** The server answered Binding. */
            ANSWERED,
            /** Nothing came back in time, and nothing showed the host is there: filtered, or the host is down. */
            NO_ANSWER,
            /**
             * The host is there but no STUN answer came: a TCP connection was accepted (then left
             * unanswered or closed), or, on UDP, no ICMP port unreachable came back for this port while
             * another port of the host drew one.
             */
            SILENT,
            /** ICMP port unreachable, or the connection was refused: nothing listens, or a firewall on the path rejects. */
            PORT_CLOSED,
            /** The TLS handshake failed. */
            TLS_FAILED
        }
    }

    /**
     * The Binding probes' round trips.
     *
     * @param median the median of the answered probes, or null when every timed probe was lost
     * @param sent how many probes were sent (after the first answer, which only shows reachability)
     * @param answered how many were answered
     */
    public record RoundTrip(Duration median, int sent, int answered) {
    }

    /**
     * Whether the server accepted the credentials (judged on Allocate).
     *
     * @param status the verdict
     * @param username the user name tried, or null
     * @param realm the realm the server announced, or null
     * @param expectedRealm the realm the server should have announced, or null for any
     * @param error the ERROR-CODE of a refusal, or null
     */
    public record CredentialCheck(Status status, String username, String realm, String expectedRealm, ErrorCode error) {
        /** The verdict on the credentials. */
        public enum Status {
            /** Allocate got past authentication. */
            ACCEPTED,
            /** 401 or 431 to a signed Allocate. */
            REJECTED,
            /** No credentials given, or the server never answered Allocate. */
            NOT_TESTED
        }
    }

    /**
     * Whether Allocate succeeded.
     *
     * @param status the verdict
     * @param relayedAddress XOR-RELAYED-ADDRESS, or null
     * @param lifetime LIFETIME, or null
     * @param error the ERROR-CODE of a refusal, or null
     * @param detail why no answer came, or empty
     * @param clientAddress the public address browsers are given for this server (CMS's {@code clientAddress}),
     *     which the relayed address should be, or null when not given
     * @param relayTransport the relay asked for: UDP, or TCP (RFC 6062)
     */
    public record AllocationCheck(Status status, InetSocketAddress relayedAddress, Duration lifetime, ErrorCode error,
            String detail, InetAddress clientAddress, RelayTransport relayTransport) {

        /** Checks that the relay transport is there. */
        public AllocationCheck {
            Objects.requireNonNull(relayTransport, "relayTransport");
        }

        /** A check of a UDP relay. */
        public AllocationCheck(Status status, InetSocketAddress relayedAddress, Duration lifetime, ErrorCode error,
                String detail, InetAddress clientAddress) {
            this(status, relayedAddress, lifetime, error, detail, clientAddress, RelayTransport.UDP);
        }

        /** The verdict on Allocate. */
        public enum Status {
            /** The server allocated a relay. */
            ALLOCATED,
            /** The server refused with an error code. */
            REFUSED,
            /** The server did not answer the Allocate request. */
            NO_ANSWER,
            /** Not tried (no credentials, the server is unreachable, or a TCP relay with no TCP to ask over). */
            NOT_TESTED
        }
    }

    /**
     * Whether data crossed the relay: from a local peer to the relayed address and on to the client,
     * and from the client through the relay to the peer.
     *
     * @param status the verdict
     * @param peer the peer's address as the server saw it (or its local address), or null
     * @param peerToClient whether the peer's data reached the client through the relay
     * @param clientToPeer whether the client's data reached the peer through the relay
     * @param roundTrip client to peer and back through the relay, or null
     * @param error the ERROR-CODE of a refused CreatePermission, or null
     * @param detail what failed, or empty
     * @param viaCheckedAddress when the peer's data to a relayed address other than the address checked was
     *     lost: whether data the peer sent to the relayed port on the address checked reached the client
     *     (so the relay works and only the way to the advertised address is missing); null when not tried
     */
    public record RelayCheck(Status status, InetSocketAddress peer, boolean peerToClient, boolean clientToPeer,
            Duration roundTrip, ErrorCode error, String detail, Boolean viaCheckedAddress) {
        /** The relay test's verdict. */
        public enum Status {
            /** Data crossed the relay both ways. */
            PASSED,
            /** Something did not cross. */
            FAILED,
            /** Not asked for, or no allocation to test. */
            NOT_RUN
        }

        /** Not run. */
        public static final RelayCheck NOT_RUN = new RelayCheck(Status.NOT_RUN, null, false, false, null, null, "", null);
    }
}
