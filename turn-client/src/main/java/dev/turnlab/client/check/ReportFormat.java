package dev.turnlab.client.check;

import dev.turnlab.client.check.ServerReport.AllocationCheck;
import dev.turnlab.client.check.ServerReport.CredentialCheck;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.client.check.ServerReport.TransportProbe;
import dev.turnlab.codec.attribute.ErrorCode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The three ways turn-check prints its reports: for a person, as JSON, and as CMS's XML. Pure functions. */
public enum ReportFormat {

    /** For a person: one block per server, the findings with their fixes, and the ranking. */
    TEXT {
        @Override
        public String format(List<ServerReport> reports) {
            StringBuilder s = new StringBuilder();
            for (ServerReport r : reports) {
                text(r, s);
            }
            if (reports.size() > 1) {
                ranking(Ranking.of(reports), s);
            }
            return s.toString();
        }
    },

    /**
     * CMS's {@code GET /api/v1/turnservers/<id>/status} answer, field for field; several servers go
     * inside {@code <turnServers total="N">}. Unknown values are empty elements.
     */
    XML {
        @Override
        public String format(List<ServerReport> reports) {
            StringBuilder s = new StringBuilder("<?xml version=\"1.0\"?>\n");
            if (reports.size() == 1) {
                xml(reports.get(0), "", s);
                return s.toString();
            }
            s.append("<turnServers total=\"").append(reports.size()).append("\">\n");
            for (ServerReport r : reports) {
                xml(r, "  ", s);
            }
            return s.append("</turnServers>\n").toString();
        }
    },

    /** CMS's fields under the same names, plus everything else the check found and the diagnosis. */
    JSON {
        @Override
        public String format(List<ServerReport> reports) {
            StringBuilder s = new StringBuilder("{\n  \"total\": ").append(reports.size()).append(",\n  \"turnServers\": [");
            for (int i = 0; i < reports.size(); i++) {
                s.append(i == 0 ? "\n" : ",\n");
                json(reports.get(i), s);
            }
            s.append("\n  ]");
            Ranking ranking = Ranking.of(reports);
            s.append(",\n  \"ranking\": [");
            for (int i = 0; i < ranking.ranked().size(); i++) {
                s.append(i == 0 ? "" : ", ").append(str(ranking.ranked().get(i).server().toString()));
            }
            s.append("],\n  \"chosen\": ").append(ranking.chosen().map(r -> str(r.server().toString())).orElse("null"));
            int exit = reports.stream().mapToInt(ServerReport::exitCode).filter(c -> c != 0).min().orElse(0);
            return s.append(",\n  \"exitCode\": ").append(exit).append("\n}\n").toString();
        }
    };

    /** The reports in this format, ending with a newline. */
    public abstract String format(List<ServerReport> reports);

    /** Parses {@code text}, {@code json} or {@code xml}, case-insensitively. */
    public static ReportFormat parse(String name) {
        for (ReportFormat f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("format: " + name + " (expected: text, json or xml)");
    }

    // ---- text ----

    private static void text(ServerReport r, StringBuilder s) {
        s.append("TURN server ").append(r.server()).append('\n');
        line(s, "reachable", (r.reachable() ? "yes, over " + r.transport() : "no") + " (" + probes(r.transports()) + ")");
        if (r.roundTrip() != null) {
            line(s, "round trip", r.roundTrip().median() == null ? "unknown: every timed Binding probe was lost"
                    : millis(r.roundTrip().median()) + " (median of " + r.roundTrip().answered()
                            + " Binding probes answered, of " + r.roundTrip().sent() + ")");
        }
        if (r.mappedAddress() != null) {
            line(s, "mapped address", hostPort(r.mappedAddress()));
        }
        CredentialCheck c = r.credentials();
        if (c.realm() != null) {
            line(s, "realm", c.realm() + (c.expectedRealm() == null ? "" : c.expectedRealm().equals(c.realm())
                    ? " (as expected)" : " (expected " + c.expectedRealm() + ")"));
        }
        if (r.reachable()) {
            line(s, "credentials", switch (c.status()) {
                case ACCEPTED -> "accepted (user " + c.username() + ")";
                case REJECTED -> "REJECTED: " + code(c.error()) + " to Allocate (user " + c.username() + ")";
                case NOT_TESTED -> "not tested";
            });
            AllocationCheck a = r.allocation();
            line(s, "allocation", switch (a.status()) {
                case ALLOCATED -> "relayed address " + hostPort(a.relayedAddress()) + ", lifetime " + a.lifetime().toSeconds()
                        + " s" + (a.clientAddress() == null ? "" : " (clientAddress " + a.clientAddress().getHostAddress() + ")");
                case REFUSED -> "REFUSED: " + code(a.error());
                case NO_ANSWER -> "NO ANSWER: " + a.detail();
                case NOT_TESTED -> "not tested";
            });
            RelayCheck relay = r.relay();
            line(s, "relay test", switch (relay.status()) {
                case PASSED -> "passed: client -> relay -> peer " + hostPort(relay.peer()) + " -> relay -> client in "
                        + millis(relay.roundTrip());
                case FAILED -> "FAILED: " + (relay.error() != null ? "CreatePermission refused: " + code(relay.error())
                        : relay.detail() + viaChecked(r));
                case NOT_RUN -> "not run" + (a.status() == AllocationCheck.Status.ALLOCATED ? " (--relay-test runs it)" : "");
            });
        }
        for (Finding f : r.findings()) {
            s.append("  ").append(f.severity()).append(": ").append(f.problem()).append('\n');
            s.append("    fix: ").append(f.fix()).append('\n');
        }
        if (r.exitCode() == 0) {
            boolean full = r.relay().status() == RelayCheck.Status.PASSED;
            s.append("  OK: TURN is healthy").append(full ? ", media can cross the relay"
                    : r.allocation().status() == AllocationCheck.Status.ALLOCATED ? " (relay not tested)" : "")
                    .append('\n');
        }
        s.append('\n');
    }

    private static String viaChecked(ServerReport r) {
        Boolean via = r.relay().viaCheckedAddress();
        if (via == null) {
            return "";
        }
        return "; sent to port " + r.allocation().relayedAddress().getPort() + " of the address checked, "
                + r.address().getHostAddress() + ", it " + (via ? "arrived" : "was lost too");
    }

    private static void ranking(Ranking ranking, StringBuilder s) {
        s.append("Ranking by round-trip time (what a CMS Callbridge uses to choose):\n");
        int i = 1;
        for (ServerReport r : ranking.ranked()) {
            s.append("  ").append(i++).append(". ").append(r.server()).append("  ").append(millis(r.roundTrip().median()))
                    .append(r.exitCode() == 0 ? "" : "  (has problems, exit " + r.exitCode() + ")").append('\n');
        }
        for (ServerReport r : ranking.unreachable()) {
            s.append("  -  ").append(r.server()).append("  unreachable\n");
        }
        s.append(ranking.chosen().map(r -> "A Callbridge would choose " + r.server() + ".\n")
                .orElse("No server is reachable: a Callbridge has none to choose.\n"));
    }

    private static void line(StringBuilder s, String label, String value) {
        s.append("  ").append(label).append(" ".repeat(Math.max(1, 16 - label.length()))).append(value).append('\n');
    }

    private static String probes(List<TransportProbe> probes) {
        return String.join("; ", probes.stream().map(p -> p.transport().name().toLowerCase(Locale.ROOT) + ": "
                + (p.outcome() == TransportProbe.Outcome.ANSWERED ? "answered" : p.detail())).toList());
    }

    // ---- xml ----

    private static void xml(ServerReport r, String indent, StringBuilder s) {
        s.append(indent).append("<turnServer>\n");
        element(s, indent + "  ", "status", r.status());
        s.append(indent).append("  <host>\n");
        String in = indent + "    ";
        element(s, in, "address", r.server().host());
        element(s, in, "portNumber", Integer.toString(r.server().port()));
        element(s, in, "reachable", Boolean.toString(r.reachable()));
        element(s, in, "roundTripTimeMs", r.roundTrip() == null ? "" : wholeMillis(r.roundTrip().median()));
        element(s, in, "mappedAddress", r.mappedAddress() == null ? "" : r.mappedAddress().getAddress().getHostAddress());
        element(s, in, "mappedPortNumber", r.mappedAddress() == null ? "" : Integer.toString(r.mappedAddress().getPort()));
        s.append(indent).append("  </host>\n");
        s.append(indent).append("</turnServer>\n");
    }

    private static void element(StringBuilder s, String indent, String name, String value) {
        s.append(indent).append('<').append(name).append('>').append(escapeXml(value)).append("</").append(name).append(">\n");
    }

    static String escapeXml(String v) {
        return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ---- json ----

    private static void json(ServerReport r, StringBuilder s) {
        CredentialCheck c = r.credentials();
        AllocationCheck a = r.allocation();
        RelayCheck relay = r.relay();
        s.append("    {\n");
        field(s, "status", str(r.status()));
        field(s, "address", str(r.server().host()));
        field(s, "portNumber", Integer.toString(r.server().port()));
        field(s, "checkedAddress", r.address() == null ? "null" : str(r.address().getHostAddress()));
        field(s, "reachable", Boolean.toString(r.reachable()));
        field(s, "roundTripTimeMs", r.roundTrip() == null || r.roundTrip().median() == null ? "null" : wholeMillis(r.roundTrip().median()));
        field(s, "mappedAddress", r.mappedAddress() == null ? "null" : str(r.mappedAddress().getAddress().getHostAddress()));
        field(s, "mappedPortNumber", r.mappedAddress() == null ? "null" : Integer.toString(r.mappedAddress().getPort()));
        field(s, "transport", r.transport() == null ? "null" : str(r.transport().name().toLowerCase(Locale.ROOT)));
        StringBuilder t = new StringBuilder("{");
        for (int i = 0; i < r.transports().size(); i++) {
            TransportProbe p = r.transports().get(i);
            t.append(i == 0 ? "" : ", ").append(str(p.transport().name().toLowerCase(Locale.ROOT))).append(": {\"port\": ")
                    .append(p.port()).append(", \"outcome\": ").append(str(p.outcome().name().toLowerCase(Locale.ROOT)))
                    .append(", \"detail\": ").append(str(p.detail())).append(", \"required\": ").append(p.required())
                    .append('}');
        }
        field(s, "transports", t.append('}').toString());
        field(s, "roundTripTimeMicros", r.roundTrip() == null || r.roundTrip().median() == null ? "null"
                : Long.toString(r.roundTrip().median().toNanos() / 1000));
        field(s, "probesSent", r.roundTrip() == null ? "0" : Integer.toString(r.roundTrip().sent()));
        field(s, "probesAnswered", r.roundTrip() == null ? "0" : Integer.toString(r.roundTrip().answered()));
        field(s, "realm", nullable(c.realm()));
        field(s, "expectedRealm", nullable(c.expectedRealm()));
        field(s, "user", nullable(c.username()));
        field(s, "credentials", str(c.status().name().toLowerCase(Locale.ROOT)));
        field(s, "credentialsError", error(c.error()));
        field(s, "allocation", str(a.status().name().toLowerCase(Locale.ROOT).replace('_', '-')));
        field(s, "allocationError", error(a.error()));
        field(s, "relayedAddress", a.relayedAddress() == null ? "null" : str(hostPort(a.relayedAddress())));
        field(s, "clientAddress", a.clientAddress() == null ? "null" : str(a.clientAddress().getHostAddress()));
        field(s, "relayTest", str(relay.status().name().toLowerCase(Locale.ROOT).replace('_', '-')));
        field(s, "relayRoundTripMicros", relay.roundTrip() == null ? "null" : Long.toString(relay.roundTrip().toNanos() / 1000));
        field(s, "relayViaCheckedAddress", String.valueOf(relay.viaCheckedAddress()));
        StringBuilder f = new StringBuilder("[");
        for (int i = 0; i < r.findings().size(); i++) {
            Finding x = r.findings().get(i);
            f.append(i == 0 ? "\n" : ",\n").append("        {\"severity\": ").append(str(x.severity().name().toLowerCase(Locale.ROOT)))
                    .append(", \"code\": ").append(str(x.code())).append(", \"problem\": ").append(str(x.problem()))
                    .append(", \"fix\": ").append(str(x.fix())).append(", \"exitCode\": ").append(x.exitCode()).append('}');
        }
        field(s, "diagnosis", f.append(r.findings().isEmpty() ? "]" : "\n      ]").toString());
        s.append("      \"exitCode\": ").append(r.exitCode()).append("\n    }");
    }

    private static void field(StringBuilder s, String name, String jsonValue) {
        s.append("      ").append(str(name)).append(": ").append(jsonValue).append(",\n");
    }

    private static String error(ErrorCode e) {
        return e == null ? "null" : "{\"code\": " + e.code() + ", \"reason\": " + str(e.reason()) + "}";
    }

    private static String nullable(String v) {
        return v == null ? "null" : str(v);
    }

    /** A JSON string literal (RFC 8259 §7). */
    static String str(String v) {
        StringBuilder s = new StringBuilder(v.length() + 2).append('"');
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        s.append(String.format("\\u%04x", (int) ch));
                    } else {
                        s.append(ch);
                    }
                }
            }
        }
        return s.append('"').toString();
    }

    // ---- shared ----

    private static String code(ErrorCode e) {
        return e.code() + " " + e.reason();
    }

    /** {@code address:port}, IPv6 in brackets, without the host name. */
    static String hostPort(InetSocketAddress a) {
        String h = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    /** Milliseconds with one decimal: loopback round trips are well below a millisecond. */
    private static String millis(Duration d) {
        if (d == null) {
            return "?";
        }
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    /** Whole milliseconds, rounded, as CMS prints roundTripTimeMs. */
    private static String wholeMillis(Duration d) {
        return d == null ? "" : Long.toString(Math.round(d.toNanos() / 1e6));
    }
}
