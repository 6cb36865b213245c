package dev.turnlab.client.check;

import dev.turnlab.client.RelayTransport;
import dev.turnlab.client.check.ServerReport.AllocationCheck;
import dev.turnlab.client.check.ServerReport.CredentialCheck;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.client.check.ServerReport.TransportProbe;
import dev.turnlab.codec.HostPort;
import dev.turnlab.codec.attribute.ErrorCode;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Two of the ways turn-check prints its reports, for a person and as CMS's XML; pure functions. The third,
 * JSON, is turn-client-app's, which carries Jackson.
 */
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
     * inside {@code <turnServers total="N">}. Unknown values are empty elements. Written with the JDK's
     * StAX writer, which escapes what the values hold.
     */
    XML {
        @Override
        public String format(List<ServerReport> reports) {
            StringWriter text = new StringWriter();
            try {
                XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
                w.writeStartDocument("1.0");
                w.writeCharacters("\n");
                if (reports.size() == 1) {
                    xml(reports.get(0), "", w);
                } else {
                    w.writeStartElement("turnServers");
                    w.writeAttribute("total", Integer.toString(reports.size()));
                    w.writeCharacters("\n");
                    for (ServerReport r : reports) {
                        xml(r, "  ", w);
                    }
                    w.writeEndElement();
                    w.writeCharacters("\n");
                }
                w.writeEndDocument();
                w.close();
            } catch (XMLStreamException e) {
                throw new IllegalStateException("XML report: " + e.getMessage(), e); // a StringWriter does not fail
            }
            return text.toString();
        }
    };

    /**
     * The reports in this format, ending with a newline. turn-check's {@code --format json} is written by
     * turn-client-app, so that this library brings no JSON library.
     */
    public abstract String format(List<ServerReport> reports);

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
            line(s, "mapped address", HostPort.format(r.mappedAddress()));
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
            String tcp = a.relayTransport() == RelayTransport.TCP ? "TCP " : "";
            line(s, "allocation", switch (a.status()) {
                case ALLOCATED -> tcp + "relayed address " + HostPort.format(a.relayedAddress()) + ", lifetime " + a.lifetime().toSeconds()
                        + " s" + (a.clientAddress() == null ? "" : " (clientAddress " + a.clientAddress().getHostAddress() + ")")
                        + (a.detail().isEmpty() ? "" : "; " + a.detail());
                case REFUSED -> (tcp.isEmpty() ? "" : "TCP relay ") + "REFUSED: " + code(a.error()) + (a.detail().isEmpty() ? "" : " (" + a.detail() + ")");
                case NO_ANSWER -> "NO ANSWER: " + a.detail();
                case NOT_TESTED -> "not tested" + (a.detail().isEmpty() ? "" : ": " + a.detail());
            });
            RelayCheck relay = r.relay();
            line(s, "relay test", switch (relay.status()) {
                case PASSED -> "passed: client -> relay -> " + tcp + "peer " + HostPort.format(relay.peer()) + " -> relay -> client in "
                        + millis(relay.roundTrip());
                case FAILED -> "FAILED: " + (relay.error() != null ? relay.detail() + ": " + code(relay.error())
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

    private static void xml(ServerReport r, String indent, XMLStreamWriter w) throws XMLStreamException {
        String in = indent + "    ";
        w.writeCharacters(indent);
        w.writeStartElement("turnServer");
        w.writeCharacters("\n");
        element(w, indent + "  ", "status", r.status());
        w.writeCharacters(indent + "  ");
        w.writeStartElement("host");
        w.writeCharacters("\n");
        element(w, in, "address", r.server().host());
        element(w, in, "portNumber", Integer.toString(r.server().port()));
        element(w, in, "reachable", Boolean.toString(r.reachable()));
        element(w, in, "roundTripTimeMs", r.roundTrip() == null ? "" : wholeMillis(r.roundTrip().median()));
        element(w, in, "mappedAddress", r.mappedAddress() == null ? "" : r.mappedAddress().getAddress().getHostAddress());
        element(w, in, "mappedPortNumber", r.mappedAddress() == null ? "" : Integer.toString(r.mappedAddress().getPort()));
        w.writeCharacters(indent + "  ");
        w.writeEndElement();
        w.writeCharacters("\n" + indent);
        w.writeEndElement();
        w.writeCharacters("\n");
    }

    /** One line: {@code indent<name>value</name>}, an empty element for an unknown value. */
    private static void element(XMLStreamWriter w, String indent, String name, String value) throws XMLStreamException {
        w.writeCharacters(indent);
        w.writeStartElement(name);
        w.writeCharacters(value);
        w.writeEndElement();
        w.writeCharacters("\n");
    }

    // ---- shared ----

    private static String code(ErrorCode e) {
        return e.code() + " " + e.reason();
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
