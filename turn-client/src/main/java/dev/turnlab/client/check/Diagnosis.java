package dev.turnlab.client.check;

import dev.turnlab.client.Transport;
import dev.turnlab.client.check.ServerReport.AllocationCheck;
import dev.turnlab.client.check.ServerReport.CredentialCheck;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.client.check.ServerReport.TransportProbe;
import dev.turnlab.client.check.ServerReport.TransportProbe.Outcome;
import dev.turnlab.codec.attribute.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what a check observed into findings in plain words, each with its likely fix: the failures
 * the CMS WebRTC troubleshooting guide tells apart with Wireshark (credentials refused with 401 or
 * 431, TURN port 3478 unreachable, relay ports 24000-29999 blocked), and a few more. A pure function.
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
        TransportProbe tls = probe(r, Transport.TLS);
        if (tls != null && tls.outcome() == Outcome.TLS_FAILED) {
            out.add(new Finding(Finding.Severity.PROBLEM, "tls-failed",
                    "the TLS handshake with " + r.server() + " failed: " + tls.detail(),
                    "give the server a certificate the client trusts (a CA-signed one whose name matches the "
                            + "address used), or for a lab trust it explicitly (turn-check --insecure)",
                    ExitCodes.UNREACHABLE));
            return;
        }
        if (!r.reachable()) {
            boolean closed = r.transports().stream().allMatch(p -> p.outcome() == Outcome.PORT_CLOSED);
            String tried = String.join(" and ", r.transports().stream().map(p -> p.transport().name()).toList());
            if (closed) {
                out.add(new Finding(Finding.Severity.PROBLEM, "port-closed",
                        "nothing listens on " + tried + " port " + port + " of " + r.server().host() + " ("
                                + details(r) + ")",
                        "switch TURN on (on an Expressway-E: Configuration > Traversal > TURN, on every node of a "
                                + "cluster) or point the client at the address and port TURN listens on",
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
            out.add(new Finding(Finding.Severity.WARNING, "udp-blocked",
                    "no answer on UDP port " + port + " (" + udp.detail() + "), while TCP port " + port + " works",
                    "open UDP " + port + " to the server: TURN listens on UDP and TCP " + port
                            + ", and media over TURN/TCP is slower and not used by every client",
                    0));
        }
        if (udp != null && tcp != null && udp.outcome() == Outcome.ANSWERED && tcp.outcome() != Outcome.ANSWERED) {
            out.add(new Finding(Finding.Severity.WARNING, "tcp-blocked",
                    "no answer on TCP port " + port + " (" + tcp.detail() + "), while UDP port " + port + " works",
                    "open TCP " + port + " to the server (CMS's tcpPortNumberOverride uses it): clients behind "
                            + "firewalls that block UDP fall back to TURN over TCP",
                    0));
        }
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
        if (expected != null && c.realm() != null && !expected.equals(c.realm())) {
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
            default -> out.add(new Finding(Finding.Severity.PROBLEM, "allocation-refused", refused,
                    "see the server's log for why it refused Allocate from this client",
                    ExitCodes.ALLOCATION_REFUSED));
        }
    }

    private static void relay(ServerReport r, List<Finding> out) {
        RelayCheck relay = r.relay();
        if (relay.status() != RelayCheck.Status.FAILED) {
            return;
        }
        if (relay.error() != null) {
            out.add(new Finding(Finding.Severity.PROBLEM, "permission-refused",
                    "the server refused a permission for the test peer " + relay.peer().getAddress().getHostAddress()
                            + ": " + relay.error().code() + " " + relay.error().reason(),
                    "the server's peer policy forbids this address (loopback and private peers are often denied: "
                            + "coturn --allow-loopback-peers, turn-server --allow-peer CIDR), or run the check from "
                            + "a host the server may relay to",
                    ExitCodes.RELAY_FAILED));
            return;
        }
        String relayed = r.allocation().relayedAddress() == null ? "the relayed address"
                : "the relayed address " + ReportFormat.hostPort(r.allocation().relayedAddress());
        out.add(new Finding(Finding.Severity.PROBLEM, "relay-blocked",
                "the allocation succeeded but data did not cross the relay: " + relay.detail() + " (" + relayed + ")",
                "the relay port range is not reachable: check the firewall and NAT reflection for the relay ports "
                        + "(24000-29999 on an Expressway-E), and that the relayed address the server advertises is "
                        + "the one that reaches it",
                ExitCodes.RELAY_FAILED));
    }

    private static TransportProbe probe(ServerReport r, Transport t) {
        return r.transports().stream().filter(p -> p.transport() == t).findFirst().orElse(null);
    }

    private static String details(ServerReport r) {
        return String.join("; ", r.transports().stream().map(p -> p.transport() + ": " + p.detail()).toList());
    }
}
