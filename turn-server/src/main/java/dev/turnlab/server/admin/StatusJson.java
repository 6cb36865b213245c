package dev.turnlab.server.admin;

import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.handler.LogText;
import dev.turnlab.server.ServerCounters;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Writes a {@link StatusSnapshot} as JSON (RFC 8259); times in ISO 8601 UTC, addresses as {@code ip:port}. */
public final class StatusJson {

    private final StringBuilder out = new StringBuilder(1024);

    private StatusJson() {
    }

    /** The JSON document of {@code status}. */
    public static String format(StatusSnapshot status) {
        StatusJson j = new StatusJson();
        j.status(status);
        return j.out.append('\n').toString();
    }

    private void status(StatusSnapshot s) {
        StatusSnapshot.Server server = s.server();
        MetricsSnapshot m = s.totals();
        out.append('{');
        field("version", server.version()).append(',');
        field("profile", server.profile()).append(',');
        field("realm", server.realm()).append(',');
        field("software", server.software()).append(',');
        field("time", s.time()).append(',');
        field("started", m.started()).append(',');
        name("uptimeSeconds").append(m.uptime().toSeconds()).append(',');
        name("listeners").append('[');
        List<StatusSnapshot.Listener> listeners = server.listeners();
        for (int i = 0; i < listeners.size(); i++) {
            StatusSnapshot.Listener l = listeners.get(i);
            out.append(i == 0 ? "{" : ",{");
            field("transport", l.transport()).append(',');
            field("address", l.address().getAddress().getHostAddress()).append(',');
            name("port").append(l.address().getPort()).append('}');
        }
        out.append("],");
        name("relay").append('{');
        name("portMin").append(server.relayPortMin()).append(',');
        name("portMax").append(server.relayPortMax()).append(',');
        name("portsInUse").append(m.relayPortsInUse()).append(',');
        name("portsFree").append(m.relayPortsFree()).append(',');
        name("addresses").append('[');
        List<InetAddress> relayAddresses = server.relayAddresses();
        for (int i = 0; i < relayAddresses.size(); i++) {
            out.append(i == 0 ? "" : ",");
            string(relayAddresses.get(i).getHostAddress());
        }
        out.append("]},");
        name("faults").append('[');
        for (int i = 0; i < m.faults().active().size(); i++) {
            out.append(i == 0 ? "" : ",");
            string(m.faults().active().get(i).toString());
        }
        out.append("],");
        totals(m);
        out.append(',');
        name("allocations").append('[');
        for (int i = 0; i < s.allocations().size(); i++) {
            out.append(i == 0 ? "" : ",");
            allocation(s.allocations().get(i));
        }
        out.append("]}");
    }

    private void totals(MetricsSnapshot m) {
        name("totals").append('{');
        name("allocationsActive").append(m.allocationsActive()).append(',');
        name("allocationsCreated").append(m.allocationsCreated()).append(',');
        name("allocationsDeleted");
        counts(m.allocationsDeleted());
        out.append(',');
        name("permissionsActive").append(m.permissionsActive()).append(',');
        name("channelsActive").append(m.channelsActive()).append(',');
        traffic("relayed", m.relayed());
        out.append(',');
        name("requests");
        counts(m.requests());
        out.append(',');
        name("authChallenges").append(m.authChallenges()).append(',');
        name("authFailures");
        counts(m.authFailures());
        out.append(',');
        name("errorResponses").append('[');
        boolean first = true;
        for (Map.Entry<ServerCounters.ErrorResponse, Long> e : m.errorResponses().entrySet()) {
            out.append(first ? "{" : ",{");
            first = false;
            field("method", e.getKey().method()).append(',');
            name("code").append(e.getKey().code()).append(',');
            name("count").append(e.getValue()).append('}');
        }
        out.append("],");
        name("dropped");
        counts(m.dropped());
        out.append('}');
    }

    private void allocation(StatusSnapshot.AllocationStatus a) {
        out.append('{');
        field("username", a.username()).append(',');
        field("transport", a.transport()).append(',');
        field("client", FiveTuple.format(a.client())).append(',');
        field("server", FiveTuple.format(a.server())).append(',');
        name("relayed").append('[');
        for (int i = 0; i < a.relayed().size(); i++) {
            out.append(i == 0 ? "" : ",");
            string(FiveTuple.format(a.relayed().get(i)));
        }
        out.append("],");
        field("created", a.created()).append(',');
        field("expires", a.expires()).append(',');
        name("permissions").append('[');
        for (int i = 0; i < a.permissions().size(); i++) {
            out.append(i == 0 ? "" : ",");
            string(a.permissions().get(i).getHostAddress());
        }
        out.append("],");
        name("channels").append('[');
        for (int i = 0; i < a.channels().size(); i++) {
            StatusSnapshot.Channel c = a.channels().get(i);
            out.append(i == 0 ? "{" : ",{");
            name("number").append(c.number()).append(',');
            field("peer", FiveTuple.format(c.peer())).append(',');
            field("expires", c.expires()).append('}');
        }
        out.append("],");
        traffic("traffic", a.traffic());
        out.append('}');
    }

    private void traffic(String name, MetricsSnapshot.Traffic t) {
        name(name).append('{');
        name("packetsToPeer").append(t.packetsToPeer()).append(',');
        name("bytesToPeer").append(t.bytesToPeer()).append(',');
        name("packetsToClient").append(t.packetsToClient()).append(',');
        name("bytesToClient").append(t.bytesToClient()).append('}');
    }

    private void counts(Map<String, Long> counts) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            out.append(first ? "" : ",");
            first = false;
            name(e.getKey()).append(e.getValue());
        }
        out.append('}');
    }

    private StringBuilder field(String name, Instant value) {
        return field(name, value.toString());
    }

    private StringBuilder field(String name, String value) {
        name(name);
        string(value);
        return out;
    }

    private StringBuilder name(String name) {
        string(name);
        return out.append(':');
    }

    /**
     * A JSON string (RFC 8259 §7), escaped as log values are: control characters, U+2028/2029 (valid JSON
     * but line ends to JavaScript) and the other characters a viewer might render as a break.
     */
    private void string(String s) {
        out.append('"');
        LogText.appendEscaped(s, Integer.MAX_VALUE, out);
        out.append('"');
    }
}
