package dev.turnlab.server.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.fault.FaultSetting;
import dev.turnlab.server.handler.LogText;
import dev.turnlab.server.ServerCounters;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Map;

/**
 * Writes a {@link StatusSnapshot} as JSON (RFC 8259) with jackson-core's streaming generator; times in
 * ISO 8601 UTC, addresses as {@code ip:port}. Jackson is an optional dependency of turn-server: an admin
 * listener checks for it before it binds ({@link AdminServer#missingJackson}).
 */
public final class StatusJson {

    static final JsonFactory FACTORY = new JsonFactoryBuilder().characterEscapes(new LogEscapes()).build();

    private final JsonGenerator out;

    StatusJson(JsonGenerator out) {
        this.out = out;
    }

    /** The JSON document of {@code status}, one line and a newline. */
    public static String format(StatusSnapshot status) {
        StringWriter text = new StringWriter(1024);
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            new StatusJson(g).status(status);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.append('\n').toString();
    }

    private void status(StatusSnapshot s) throws IOException {
        StatusSnapshot.Server server = s.server();
        MetricsSnapshot m = s.totals();
        out.writeStartObject();
        out.writeStringField("version", server.version());
        out.writeStringField("profile", server.profile());
        out.writeStringField("realm", server.realm());
        out.writeStringField("software", server.software());
        out.writeStringField("ioTransport", server.ioTransport());
        out.writeStringField("time", s.time().toString());
        out.writeStringField("started", m.started().toString());
        out.writeNumberField("uptimeSeconds", m.uptime().toSeconds());
        out.writeArrayFieldStart("listeners");
        for (StatusSnapshot.Listener l : server.listeners()) {
            out.writeStartObject();
            out.writeStringField("transport", l.transport());
            out.writeStringField("address", l.address().getAddress().getHostAddress());
            out.writeNumberField("port", l.address().getPort());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeObjectFieldStart("relay");
        out.writeNumberField("portMin", server.relayPortMin());
        out.writeNumberField("portMax", server.relayPortMax());
        out.writeNumberField("portsInUse", m.relayPortsInUse());
        out.writeNumberField("portsFree", m.relayPortsFree());
        out.writeArrayFieldStart("addresses");
        for (InetAddress a : server.relayAddresses()) {
            out.writeString(a.getHostAddress());
        }
        out.writeEndArray();
        out.writeEndObject();
        out.writeBooleanField("draining", m.drain().draining());
        counts("alternateRedirects", m.drain().redirects());
        if (m.tls().expiry() != null) {
            out.writeObjectFieldStart("tls");
            out.writeStringField("subject", m.tls().subject());
            out.writeStringField("expires", m.tls().expiry().toString());
            out.writeNumberField("reloads", m.tls().reloads());
            out.writeNumberField("reloadFailures", m.tls().reloadFailures());
            out.writeEndObject();
        }
        out.writeArrayFieldStart("faults");
        for (FaultSetting fault : m.faults().active()) {
            out.writeString(fault.toString());
        }
        out.writeEndArray();
        cluster(m.cluster());
        totals(m);
        out.writeArrayFieldStart("allocations");
        for (StatusSnapshot.AllocationStatus a : s.allocations()) {
            allocation(a);
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    /** The cluster this server is a node of, and its live nodes; nothing for a server on its own. */
    private void cluster(MetricsSnapshot.Cluster c) throws IOException {
        if (!c.enabled()) {
            return;
        }
        out.writeObjectFieldStart("cluster");
        out.writeStringField("node", c.node());
        out.writeBooleanField("redisUp", c.redisUp());
        out.writeNumberField("redirects", c.redirects());
        out.writeNumberField("quotaFallbacks", c.quotaFallbacks());
        out.writeArrayFieldStart("nodes");
        for (MetricsSnapshot.ClusterNode n : c.nodes()) {
            out.writeStartObject();
            out.writeStringField("name", n.name());
            out.writeStringField("address", n.address().getAddress().getHostAddress());
            out.writeNumberField("port", n.address().getPort());
            out.writeNumberField("allocations", n.allocations());
            out.writeNumberField("quota", n.quota());
            out.writeNumberField("relayPortsFree", n.relayPortsFree());
            out.writeNumberField("relayPorts", n.relayPorts());
            out.writeBooleanField("draining", n.draining());
            out.writeNumberField("loadPercent", n.loadPercent());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    private void totals(MetricsSnapshot m) throws IOException {
        out.writeObjectFieldStart("totals");
        out.writeNumberField("allocationsActive", m.allocationsActive());
        out.writeNumberField("allocationsPeak", m.allocationsPeak());
        out.writeNumberField("allocationsCreated", m.allocationsCreated());
        counts("allocationsDeleted", m.allocationsDeleted());
        out.writeNumberField("permissionsActive", m.permissionsActive());
        out.writeNumberField("channelsActive", m.channelsActive());
        traffic("relayed", m.relayed());
        counts("requests", m.requests());
        out.writeNumberField("authChallenges", m.authChallenges());
        counts("authFailures", m.authFailures());
        out.writeArrayFieldStart("errorResponses");
        for (Map.Entry<ServerCounters.ErrorResponse, Long> e : m.errorResponses().entrySet()) {
            out.writeStartObject();
            out.writeStringField("method", e.getKey().method());
            out.writeNumberField("code", e.getKey().code());
            out.writeNumberField("count", e.getValue());
            out.writeEndObject();
        }
        out.writeEndArray();
        counts("dropped", m.dropped());
        MetricsSnapshot.Bandwidth b = m.bandwidth();
        out.writeObjectFieldStart("bandwidth");
        out.writeNumberField("maxBps", b.maxBps());
        out.writeNumberField("capacity", b.capacity());
        out.writeNumberField("reserved", b.reserved());
        out.writeNumberField("refusedAllocations", b.refusedAllocations());
        traffic("dropped", b.dropped());
        out.writeEndObject();
        out.writeEndObject();
    }

    /** Writes one allocation as an object, as /status and /api/allocations show it. */
    void allocation(StatusSnapshot.AllocationStatus a) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", a.id());
        out.writeStringField("username", a.username());
        out.writeStringField("transport", a.transport());
        out.writeStringField("client", FiveTuple.format(a.client()));
        out.writeStringField("server", FiveTuple.format(a.server()));
        out.writeArrayFieldStart("relayed");
        for (var relayed : a.relayed()) {
            out.writeString(FiveTuple.format(relayed));
        }
        out.writeEndArray();
        out.writeStringField("created", a.created().toString());
        out.writeStringField("expires", a.expires().toString());
        out.writeArrayFieldStart("permissions");
        for (InetAddress peer : a.permissions()) {
            out.writeString(peer.getHostAddress());
        }
        out.writeEndArray();
        out.writeArrayFieldStart("channels");
        for (StatusSnapshot.Channel c : a.channels()) {
            out.writeStartObject();
            out.writeNumberField("number", c.number());
            out.writeStringField("peer", FiveTuple.format(c.peer()));
            out.writeStringField("expires", c.expires().toString());
            out.writeEndObject();
        }
        out.writeEndArray();
        traffic("traffic", a.traffic());
        out.writeNumberField("maxBps", a.maxBps());
        traffic("overMaxBps", a.overRate());
        out.writeEndObject();
    }

    private void traffic(String name, MetricsSnapshot.Traffic t) throws IOException {
        out.writeObjectFieldStart(name);
        out.writeNumberField("packetsToPeer", t.packetsToPeer());
        out.writeNumberField("bytesToPeer", t.bytesToPeer());
        out.writeNumberField("packetsToClient", t.packetsToClient());
        out.writeNumberField("bytesToClient", t.bytesToClient());
        out.writeEndObject();
    }

    private void counts(String name, Map<String, Long> counts) throws IOException {
        out.writeObjectFieldStart(name);
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            out.writeNumberField(e.getKey(), e.getValue());
        }
        out.writeEndObject();
    }

    /**
     * Escapes what log values escape ({@link LogText#isUnsafe}) beyond JSON's own control characters: DEL
     * and C1 controls, U+2028/2029 (valid JSON but line ends to JavaScript), bidirectional overrides and
     * surrogates, anything a viewer might render as a break or reorder.
     */
    private static final class LogEscapes extends CharacterEscapes {

        private static final long serialVersionUID = 1L;

        private final int[] ascii = standardAsciiEscapesForJSON();

        LogEscapes() {
            ascii[0x7F] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch <= 0xFFFF && LogText.isUnsafe((char) ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
