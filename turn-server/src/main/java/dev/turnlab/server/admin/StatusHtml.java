package dev.turnlab.server.admin;

import dev.turnlab.server.allocation.FiveTuple;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a {@link StatusSnapshot} as a small HTML page for a person: the server, its totals, and a
 * table of allocations like an Expressway-E's "TURN relays" page. Every value is HTML-escaped.
 */
public final class StatusHtml {

    private final StringBuilder out = new StringBuilder(4096);

    private StatusHtml() {
    }

    /** The HTML page of {@code status}. */
    public static String format(StatusSnapshot status) {
        StatusHtml h = new StatusHtml();
        h.page(status);
        return h.out.toString();
    }

    private void page(StatusSnapshot s) {
        StatusSnapshot.Server server = s.server();
        MetricsSnapshot m = s.totals();
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>turnlab TURN server status</title>\n")
                .append("<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}")
                .append("th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}")
                .append("th{background:#eee}td.n{text-align:right}</style></head><body>\n");
        out.append("<h1>TURN server status</h1>\n<table>\n");
        row("Version", server.version());
        row("Profile", server.profile());
        row("Realm", server.realm());
        row("Software", server.software());
        row("Time", s.time().toString());
        row("Started", m.started().toString());
        row("Uptime", m.uptime().toSeconds() + " s");
        row("Listeners", server.listeners().stream()
                .map(l -> l.transport() + " " + FiveTuple.format(l.address())).collect(Collectors.joining(", ")));
        row("Relay ports", server.relayPortMin() + "-" + server.relayPortMax() + " (" + m.relayPortsInUse()
                + " in use, " + m.relayPortsFree() + " free) on " + server.relayAddresses().stream()
                .map(InetAddress::getHostAddress).collect(Collectors.joining(", ")));
        row("Lab faults", m.faults().active().isEmpty() ? "none"
                : m.faults().active().stream().map(Object::toString).collect(Collectors.joining(", ")));
        out.append("</table>\n<h2>Totals</h2>\n<table>\n");
        row("Allocations active", Integer.toString(m.allocationsActive()));
        row("Allocations created", Long.toString(m.allocationsCreated()));
        row("Allocations deleted", counts(m.allocationsDeleted()));
        row("Permissions active", Integer.toString(m.permissionsActive()));
        row("Channels active", Integer.toString(m.channelsActive()));
        MetricsSnapshot.Traffic t = m.relayed();
        row("Client to peer", t.packetsToPeer() + " packets, " + t.bytesToPeer() + " bytes");
        row("Peer to client", t.packetsToClient() + " packets, " + t.bytesToClient() + " bytes");
        row("Requests", counts(m.requests()));
        row("Challenges (401)", Long.toString(m.authChallenges()));
        row("Authentication failures", counts(m.authFailures()));
        row("Error responses", m.errorResponses().entrySet().stream()
                .map(e -> e.getKey().method() + " " + e.getKey().code() + ": " + e.getValue())
                .collect(Collectors.joining(", ")));
        row("Dropped packets", counts(m.dropped()));
        out.append("</table>\n<h2>Allocations (").append(s.allocations().size()).append(")</h2>\n<table>\n<tr>");
        for (String h : List.of("Id", "User", "Transport", "Client", "Server", "Relayed", "Created", "Expires",
                "Permissions", "Channels", "To peer (packets/bytes)", "To client (packets/bytes)")) {
            out.append("<th>").append(h).append("</th>");
        }
        out.append("</tr>\n");
        for (StatusSnapshot.AllocationStatus a : s.allocations()) {
            out.append("<tr>");
            cell(a.id());
            cell(a.username());
            cell(a.transport());
            cell(FiveTuple.format(a.client()));
            cell(FiveTuple.format(a.server()));
            cell(a.relayed().stream().map(FiveTuple::format).collect(Collectors.joining(" ")));
            cell(a.created().toString());
            cell(a.expires().toString());
            cell(a.permissions().stream().map(InetAddress::getHostAddress).collect(Collectors.joining(" ")));
            cell(a.channels().stream().map(c -> String.format("0x%04X %s", c.number(), FiveTuple.format(c.peer())))
                    .collect(Collectors.joining(" ")));
            out.append("<td class=\"n\">").append(a.traffic().packetsToPeer()).append(" / ")
                    .append(a.traffic().bytesToPeer()).append("</td><td class=\"n\">")
                    .append(a.traffic().packetsToClient()).append(" / ").append(a.traffic().bytesToClient())
                    .append("</td></tr>\n");
        }
        out.append("</table>\n<p><a href=\"/status\">JSON</a> · <a href=\"/metrics\">Prometheus metrics</a></p>\n")
                .append("</body></html>\n");
    }

    private static String counts(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
    }

    private void row(String name, String value) {
        out.append("<tr><th>").append(name).append("</th><td>");
        escape(value);
        out.append("</td></tr>\n");
    }

    private void cell(String value) {
        out.append("<td>");
        escape(value);
        out.append("</td>");
    }

    /** Escapes the five characters that matter in HTML text and attribute values. */
    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
    }
}
