package dev.turnlab.client.check;

import dev.turnlab.client.Transport;
import dev.turnlab.client.check.ServerReport.AllocationCheck;
import dev.turnlab.client.check.ServerReport.CredentialCheck;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.client.check.ServerReport.TransportProbe;
import dev.turnlab.client.check.ServerReport.TransportProbe.Outcome;
import dev.turnlab.codec.HostPort;
import dev.turnlab.codec.attribute.ErrorCode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what a check observed into findings in plain words, each with its likely fix: the failures
 * the CMS WebRTC troubleshooting guide tells apart with Wireshark (credentials refused with 401 or
 * 431, TURN port 3478 unreachable, relay ports 24000-29999 blocked or NAT reflection missing), and
 * what a lab meets around them: a server that is there but silent, a firewall that rejects, a private
 * relayed address handed to the Internet, a relayed address off CMS's {@code clientAddress}. The words
 * say only what the observations show: where two causes look alike from the client, both are named.
 * A pure function.
 */
public final class Diagnosis {

    private Diagnosis() {
    }

    /** The findings for {@code report}, most fundamental first; empty when TURN is healthy. */
    public static List<Finding> of(ServerReport report) {
        List<Finding> findings = new ArrayList<>();
        reachability(report, findings);
        credentials(report, findings);
        allocation(report, findings);
        relay(report, findings);
        return findings;
    }

    private static void reachability(ServerReport r, List<Finding> out) {
        int port = r.server().port();
        TransportProbe udp = probe(r, Transport.UDP);
        TransportProbe tcp = probe(r, Transport.TCP);
        TransportProbe tls = r.transports().stream().filter(p -> p.outcome() == Outcome.TLS_FAILED).findFirst().orElse(null);
        if (tls != null) {
            out.add(new Finding(Finding.Severity.PROBLEM, "tls-failed",
                    "the " + tls.transport() + " handshake with " + r.server() + " failed: " + tls.detail(),
                    "give the server a certificate the client trusts (a CA-signed one whose name matches the "
                            + "address used), or for a lab trust it explicitly (turn-check --insecure)",
                    ExitCodes.UNREACHABLE));
            return;
        }
        if (!r.reachable()) {
            boolean closed = r.transports().stream().allMatch(p -> p.outcome() == Outcome.PORT_CLOSED);
            String tried = String.join(" and ", r.transports().stream().map(p -> p.transport().name()).toList());
            List<TransportProbe> silent = r.transports().stream().filter(p -> p.outcome() == Outcome.SILENT).toList();
            if (!silent.isEmpty()) {
                out.add(noStunAnswer(r, silent));
            } else if (closed) {
                out.add(new Finding(Finding.Severity.PROBLEM, "port-closed",
                        tried + " port " + port + " of " + r.server().host() + " refused (" + details(r)
                                + "): nothing listens there, or a firewall on the path rejects the port",
                        "if TURN runs on " + r.server().host() + ", a firewall between here and the server rejects "
                                + tried + " " + port + ": open it; otherwise switch TURN on (on an Expressway-E: "
                                + "Configuration > Traversal > TURN, on every node of a cluster) or point the client "
                                + "at the address and port TURN listens on",
                        ExitCodes.UNREACHABLE));
            } else {
                out.add(new Finding(Finding.Severity.PROBLEM, "unreachable",
                        "no answer from " + r.server().host() + " on " + tried + " port " + port + " (" + details(r)
                                + "): the port is filtered by a firewall, or the host is down or not at this address",
                        "open " + tried + " " + port + " from the client to the server in every firewall on the path, "
                                + "and check the address (the public or the private one of a dual-NIC Expressway-E)",
                        ExitCodes.UNREACHABLE));
            }
            return;
        }
        if (udp != null && tcp != null && udp.outcome() != Outcome.ANSWERED && tcp.outcome() == Outcome.ANSWERED) {
            out.add(new Finding(udp.required() ? Finding.Severity.PROBLEM : Finding.Severity.WARNING, "udp-blocked",
                    "no answer on UDP port " + udp.port() + " (" + udp.detail() + "), while TCP port " + tcp.port()
                            + " works" + (udp.required() ? "; UDP is required" : ""),
                    "open UDP " + udp.port() + " to the server: TURN listens on UDP and TCP " + port
                            + ", and media over TURN/TCP is slower and not used by every client",
                    udp.required() ? ExitCodes.UNREACHABLE : 0));
        }
        if (udp != null && tcp != null && udp.outcome() == Outcome.ANSWERED && tcp.outcome() != Outcome.ANSWERED) {
            out.add(new Finding(tcp.required() ? Finding.Severity.PROBLEM : Finding.Severity.WARNING, "tcp-blocked",
                    "no answer on TCP port " + tcp.port() + " (" + tcp.detail() + "), while UDP port " + udp.port()
                            + " works" + (tcp.required() ? "; TCP is required" : ""),
                    (tcp.outcome() == Outcome.SILENT ? "the server accepts TCP connections on " + tcp.port()
                            + " but does not answer STUN on them: restart its TURN service, or check that a proxy "
                            + "in front forwards to it; " : "open TCP " + tcp.port() + " to the server ")
                            + "(CMS's tcpPortNumberOverride uses it): clients behind firewalls that block UDP fall "
                            + "back to TURN over TCP",
                    tcp.required() ? ExitCodes.UNREACHABLE : 0));
        }
    }

    /**
     * Something is there and does not answer STUN: a TCP connection accepted and left unanswered, or UDP
     * silent while the host sends ICMP port unreachable for another port.
     */
    private static Finding noStunAnswer(ServerReport r, List<TransportProbe> silent) {
        boolean tcpAccepted = silent.stream().anyMatch(p -> p.transport() != Transport.UDP);
        String ports = String.join(" and ", silent.stream().map(p -> p.transport() + " " + p.port()).toList());
        String known = tcpAccepted
                ? "the host is up and something accepts connections on the port"
                : "the host is up and its ICMP reaches us, so a socket is open on the port and silent, or a "
                        + "firewall drops this port alone";
        return new Finding(Finding.Severity.PROBLEM, "no-stun-answer",
                "no STUN answer from " + r.server().host() + " on " + ports + " (" + details(r) + "): " + known,
                "the TURN server is hung or overloaded, or another program holds the port: restart the TURN "
                        + "service (on an Expressway-E: Configuration > Traversal > TURN off and on, or restart the "
                        + "node) and see which process listens on the port (ss -lntup)"
                        + (tcpAccepted ? "; a load balancer or TCP proxy in front that accepts connections itself "
                                + "looks the same: check that it forwards to a live TURN server"
                                : "; if the TURN server answers locally, open UDP " + silent.get(0).port()
                                        + " in the firewalls on the path"),
                ExitCodes.UNREACHABLE);
    }

    private static void credentials(ServerReport r, List<Finding> out) {
        CredentialCheck c = r.credentials();
        if (!r.reachable()) {
            return;
        }
        if (c.username() == null) {
            out.add(new Finding(Finding.Severity.WARNING, "credentials-not-tested",
                    "the credentials were not tested" + (c.realm() != null ? " (the server's realm is " + c.realm() + ")" : ""),
                    "give --user and --password to check the credentials, the allocation and (with --relay-test) the relay",
                    0));
            return;
        }
        if (c.status() == CredentialCheck.Status.REJECTED) {
            ErrorCode e = c.error();
            out.add(new Finding(Finding.Severity.PROBLEM, "credentials-rejected",
                    "the server refused the credentials of user " + c.username() + ": " + e.code() + " " + e.reason()
                            + " to the Allocate request" + (c.realm() != null ? ", realm " + c.realm() : ""),
                    "make the TURN credentials on the client match the server's local authentication database (user "
                            + c.username() + (c.realm() != null ? ", realm " + c.realm() : "") + ")",
                    ExitCodes.CREDENTIALS_REJECTED));
        }
        String expected = c.expectedRealm();
        if (expected != null && c.realm() != null && !expected.equals(c.realm())
                && c.status() == CredentialCheck.Status.ACCEPTED) {
            // The run proved the credentials work in the server's realm: nothing to fail on.
            out.add(new Finding(Finding.Severity.WARNING, "realm-mismatch",
                    "the server's realm is " + c.realm() + ", not the expected " + expected
                            + "; the credentials of user " + c.username() + " were accepted in realm " + c.realm(),
                    "nothing fails while clients use credentials made for realm " + c.realm() + "; if this should be "
                            + "a server with realm " + expected + " (an Expressway-E uses TANDBERG), check that the "
                            + "address is the server you mean, or expect " + c.realm() + " (--realm)",
                    0));
        } else if (expected != null && c.realm() != null && !expected.equals(c.realm())) {
            out.add(new Finding(Finding.Severity.PROBLEM, "realm-mismatch",
                    "the server's realm is " + c.realm() + ", not the expected " + expected,
                    "set the realm " + expected + " on the server (an Expressway-E uses TANDBERG), or expect "
                            + c.realm() + ": the realm is part of the key, so credentials only work in their realm",
                    ExitCodes.CREDENTIALS_REJECTED));
        }
    }

    private static void allocation(ServerReport r, List<Finding> out) {
        AllocationCheck a = r.allocation();
        if (r.credentials().status() == CredentialCheck.Status.REJECTED) {
            return;
        }
        if (a.status() == AllocationCheck.Status.NO_ANSWER) {
            out.add(new Finding(Finding.Severity.PROBLEM, "allocate-unanswered",
                    "the server answers Binding but not Allocate (" + a.detail() + ")",
                    "check that the server has TURN (not only STUN) switched on, and its logs for the request",
                    ExitCodes.ALLOCATION_REFUSED));
            return;
        }
        if (a.status() == AllocationCheck.Status.ALLOCATED && !a.detail().isEmpty()) {
            out.add(new Finding(Finding.Severity.WARNING, "allocation-redirected", a.detail()
                    + ": that server is full or draining, and the alternate allocated the relay",
                    "nothing to do if the server is being drained on purpose; otherwise check its load and quotas "
                            + "(turnlab: turnlab_alternate_redirects_total and 'draining' on the admin listener), or "
                            + "give clients the alternate's address",
                    0));
        }
        if (a.status() != AllocationCheck.Status.REFUSED) {
            return;
        }
        ErrorCode e = a.error();
        String refused = "the server refused the allocation: " + e.code() + " " + e.reason();
        switch (e.code()) {
            case 486 -> out.add(new Finding(Finding.Severity.PROBLEM, "allocation-quota", refused
                    + " (this user has as many allocations as the server allows)",
                    "release allocations this user no longer needs (clients that did not close), raise the server's "
                            + "per-user quota, or give each client its own user",
                    ExitCodes.ALLOCATION_REFUSED));
            case 508 -> out.add(new Finding(Finding.Severity.PROBLEM, "allocation-capacity", refused
                    + " (the server has no relay capacity left)",
                    "raise the server's total quota or widen its relay port range, or spread clients over more servers",
                    ExitCodes.ALLOCATION_REFUSED));
            case 438 -> out.add(staleNonce(r, refused));
            case 300 -> out.add(new Finding(Finding.Severity.PROBLEM, "allocation-redirected", refused
                    + (a.detail().isEmpty() ? " without an ALTERNATE-SERVER to go to" : " (" + a.detail() + ")"),
                    "the servers are full or draining: check their load and quotas, and that an alternate server "
                            + "does not redirect in turn (a client follows one redirect)",
                    ExitCodes.ALLOCATION_REFUSED));
            case 442 -> out.add(new Finding(Finding.Severity.PROBLEM, "tcp-relay-unsupported", refused
                    + " (asked for a TCP relay: the server does not offer RFC 6062 TCP relays, or not to this user)",
                    "allow TCP relays on the server (coturn: remove no-tcp-relay from turnserver.conf), or use UDP "
                            + "relays (turn-check without --relay-transport tcp); clients that need TCP to reach their "
                            + "peers cannot use this server",
                    ExitCodes.ALLOCATION_REFUSED));
            case 440 -> out.add(new Finding(Finding.Severity.PROBLEM, "allocation-address-family", refused
                    + " (it has no relay of the family asked for: IPv4 unless REQUESTED-ADDRESS-FAMILY says IPv6)",
                    "ask for the family the server relays (turn-check --relay-family ipv6 for an IPv6-only server), "
                            + "or give the server a relay address of the other family",
                    ExitCodes.ALLOCATION_REFUSED));
            default -> out.add(new Finding(Finding.Severity.PROBLEM, "allocation-refused", refused,
                    "see the server's log for why it refused Allocate from this client",
                    ExitCodes.ALLOCATION_REFUSED));
        }
    }

    /**
     * 438 again after the client signed Allocate with the fresh nonce of the first 438: the server takes
     * the nonces it has just handed out for expired, so no signed request can ever succeed.
     */
    private static Finding staleNonce(ServerReport r, String refused) {
        return new Finding(Finding.Severity.PROBLEM, "stale-nonce", refused + " again to the request signed with "
                + "the fresh nonce of its first 438: the server takes the nonces it hands out for expired at once, so "
                + "every signed request fails; the credentials of user " + r.credentials().username()
                + " could not be tested",
                "check the server's clock (set NTP on it: a clock far off or jumping makes every nonce stale) and its "
                        + "nonce lifetime, then restart its TURN service (on an Expressway-E: Configuration > Traversal "
                        + "> TURN off and on)",
                ExitCodes.ALLOCATION_REFUSED);
    }

    private static void relay(ServerReport r, List<Finding> out) {
        RelayCheck relay = r.relay();
        if (relay.status() == RelayCheck.Status.FAILED && relay.error() != null
                && (relay.error().code() == 446 || relay.error().code() == 447)) {
            out.add(tcpConnectRefused(relay));
            return;
        }
        if (relay.status() == RelayCheck.Status.FAILED && relay.error() != null) {
            out.add(new Finding(Finding.Severity.PROBLEM, "permission-refused",
                    "the server refused a permission for the test peer " + relay.peer().getAddress().getHostAddress()
                            + ": " + relay.error().code() + " " + relay.error().reason(),
                    "the server's peer policy forbids this address (loopback and private peers are often denied: "
                            + "coturn --allow-loopback-peers, turn-server --allow-peer CIDR), or run the check from "
                            + "a host the server may relay to",
                    ExitCodes.RELAY_FAILED));
            return;
        }
        if (r.allocation().status() != AllocationCheck.Status.ALLOCATED) {
            return;
        }
        if (relayAddressPrivate(r, out)) {
            return;
        }
        clientAddress(r, out);
        if (relay.status() != RelayCheck.Status.FAILED) {
            return;
        }
        String relayed = HostPort.format(r.allocation().relayedAddress());
        if (Boolean.TRUE.equals(relay.viaCheckedAddress())) {
            String checked = r.address().getHostAddress();
            out.add(new Finding(Finding.Severity.PROBLEM, "nat-reflection",
                    "the server advertises the relayed address " + relayed + ", not the address checked (" + checked
                            + "): what a peer here sent to " + relayed + " did not arrive, but what it sent to port "
                            + r.allocation().relayedAddress().getPort() + " of " + checked + " did, so the relay works "
                            + "and the way from this network to the advertised address does not",
                    "add NAT reflection (hairpin NAT) for the relay ports (24000-29999 on an Expressway-E) on the "
                            + "firewall that translates " + r.allocation().relayedAddress().getAddress().getHostAddress()
                            + " to the server, so that hosts on this side (CMS, and the server itself when media goes "
                            + "relay to relay) reach it by that address",
                    ExitCodes.RELAY_FAILED));
            return;
        }
        String directly = Boolean.FALSE.equals(relay.viaCheckedAddress())
                ? "; nor did what the peer sent to the same port on the address checked, " + r.address().getHostAddress()
                : "";
        out.add(new Finding(Finding.Severity.PROBLEM, "relay-blocked",
                "the allocation succeeded but data did not cross the relay: " + relay.detail() + " (the relayed address "
                        + relayed + directly + ")",
                "the relay port range is not reachable: check the firewall and NAT reflection for the relay ports "
                        + "(24000-29999 on an Expressway-E), and that the relayed address the server advertises is "
                        + "the one that reaches it",
                ExitCodes.RELAY_FAILED));
    }

    /**
     * Connect refused (RFC 6062 §5.2): 447 when the server could not open a TCP connection to the peer in
     * time, 446 when the allocation has one to that peer already.
     */
    private static Finding tcpConnectRefused(RelayCheck relay) {
        String peer = HostPort.format(relay.peer());
        String refused = relay.error().code() + " " + relay.error().reason() + " to Connect";
        if (relay.error().code() == 446) {
            return new Finding(Finding.Severity.PROBLEM, "tcp-connection-exists",
                    "the server answered " + refused + ": it says this allocation is connected to the test peer "
                            + peer + " already, though the check connected only once",
                    "the server keeps TCP connections of a relay after they ended: see its log for the peer " + peer
                            + ", and restart its TURN service if it persists",
                    ExitCodes.RELAY_FAILED);
        }
        return new Finding(Finding.Severity.PROBLEM, "tcp-connect-failed",
                "the server could not reach the test peer " + peer + " over TCP: " + refused
                        + " (the relay's TCP connection to the peer was refused or timed out)",
                "let the TURN server open TCP connections to the peers: check the firewall between the server and "
                        + peer + " (outbound TCP from the relay address), that the peer listens, and the server's "
                        + "peer policy (coturn: denied-peer-ip, --allow-loopback-peers for loopback peers)",
                ExitCodes.RELAY_FAILED);
    }

    /**
     * A private relayed address handed to a client on the Internet (its mapped address is public), or to
     * browsers given a public address for the server: their peers cannot send to it. Reported whatever
     * the relay test showed, since a test peer next to the checker may route where the Internet does not.
     */
    private static boolean relayAddressPrivate(ServerReport r, List<Finding> out) {
        InetAddress relayed = r.allocation().relayedAddress().getAddress();
        InetAddress mapped = r.mappedAddress() == null ? null : r.mappedAddress().getAddress();
        InetAddress client = r.allocation().clientAddress();
        if (!AddressScope.isPrivate(relayed)) {
            return false;
        }
        String whose;
        if (mapped != null && AddressScope.isPublic(mapped)) {
            whose = "to a client whose mapped address " + mapped.getHostAddress() + " is public";
        } else if (client != null && AddressScope.isPublic(client)) {
            whose = "while browsers are given the public address " + client.getHostAddress() + " (CMS's clientAddress)";
        } else {
            return false;
        }
        RelayCheck relay = r.relay();
        String test = switch (relay.status()) {
            case FAILED -> "; the relay test failed: " + relay.detail();
            case PASSED -> "; the relay test passed only because this network routes to " + relayed.getHostAddress();
            case NOT_RUN -> "";
        };
        out.add(new Finding(Finding.Severity.PROBLEM, "relay-address-private",
                "the server hands out the private relayed address " + HostPort.format(r.allocation().relayedAddress()) + " "
                        + whose + ": peers on the Internet cannot send media to it" + test,
                "make the server advertise its public address as the relayed address: on an Expressway-E behind "
                        + "static NAT, set the IPv4 static NAT address (System > Network interfaces > IP); turn-server "
                        + "--external-address PUBLIC; coturn external-ip=PUBLIC/PRIVATE",
                ExitCodes.RELAY_FAILED));
        return true;
    }

    /** The relayed address against CMS's clientAddress, the public address browsers are given. */
    private static void clientAddress(ServerReport r, List<Finding> out) {
        InetAddress client = r.allocation().clientAddress();
        InetSocketAddress relayed = r.allocation().relayedAddress();
        if (client == null || client.equals(relayed.getAddress())) {
            return;
        }
        out.add(new Finding(Finding.Severity.WARNING, "client-address-mismatch",
                "the relayed address " + HostPort.format(relayed) + " is not on the clientAddress " + client.getHostAddress()
                        + " browsers are given: browsers reach TURN at " + client.getHostAddress()
                        + ", and their peers are told to send media to " + relayed.getAddress().getHostAddress(),
                "if " + relayed.getAddress().getHostAddress() + " is also a public address of this server, media "
                        + "still flows; otherwise make them agree: set the server's public (static NAT) address to "
                        + client.getHostAddress() + ", or correct clientAddress in CMS (PUT /api/v1/turnservers/<id>)",
                0));
    }


    private static TransportProbe probe(ServerReport r, Transport t) {
        return r.transports().stream().filter(p -> p.transport() == t).findFirst().orElse(null);
    }

    private static String details(ServerReport r) {
        return String.join("; ", r.transports().stream().map(p -> p.transport()
                + (p.port() != r.server().port() ? " " + p.port() : "") + ": " + p.detail()).toList());
    }
}
