package dev.turnlab.client.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.turnlab.client.check.Finding;
import dev.turnlab.client.check.Ranking;
import dev.turnlab.client.check.ServerReport;
import dev.turnlab.client.check.ServerReport.AllocationCheck;
import dev.turnlab.client.check.ServerReport.CredentialCheck;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.codec.HostPort;
import dev.turnlab.client.check.ServerReport.TransportProbe;
import dev.turnlab.codec.attribute.ErrorCode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * turn-check's {@code --format json}: CMS's fields under the same names, plus everything else the check
 * found and the diagnosis, the ranking and the server a Callbridge would choose. Written with jackson-core,
 * two spaces of indentation and {@code "name": value}, as scripts grep it.
 */
final class JsonReport {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final DefaultIndenter INDENTER = new DefaultIndenter("  ", "\n");
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("").withArrayEmptySeparator(""))
            .withObjectIndenter(INDENTER).withArrayIndenter(INDENTER);

    private final JsonGenerator out;

    private JsonReport(JsonGenerator out) {
        this.out = out;
    }

    /** The reports as one JSON document, ending with a newline. */
    static String format(List<ServerReport> reports) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            g.setPrettyPrinter(PRETTY.createInstance());
            new JsonReport(g).document(reports);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.append('\n').toString();
    }

    private void document(List<ServerReport> reports) throws IOException {
        out.writeStartObject();
        out.writeNumberField("total", reports.size());
        out.writeArrayFieldStart("turnServers");
        for (ServerReport r : reports) {
            server(r);
        }
        out.writeEndArray();
        Ranking ranking = Ranking.of(reports);
        out.writeArrayFieldStart("ranking");
        for (ServerReport r : ranking.ranked()) {
            out.writeString(r.server().toString());
        }
        out.writeEndArray();
        out.writeStringField("chosen", ranking.chosen().map(r -> r.server().toString()).orElse(null));
        out.writeNumberField("exitCode", ServerReport.exitCode(reports));
        out.writeEndObject();
    }

    private void server(ServerReport r) throws IOException {
        CredentialCheck c = r.credentials();
        AllocationCheck a = r.allocation();
        RelayCheck relay = r.relay();
        Duration median = r.roundTrip() == null ? null : r.roundTrip().median();
        out.writeStartObject();
        out.writeStringField("status", r.status());
        out.writeStringField("address", r.server().host());
        out.writeNumberField("portNumber", r.server().port());
        out.writeStringField("checkedAddress", r.address() == null ? null : r.address().getHostAddress());
        out.writeBooleanField("reachable", r.reachable());
        number("roundTripTimeMs", median == null ? null : Math.round(median.toNanos() / 1e6));
        out.writeStringField("mappedAddress", r.mappedAddress() == null ? null : r.mappedAddress().getAddress().getHostAddress());
        number("mappedPortNumber", r.mappedAddress() == null ? null : (long) r.mappedAddress().getPort());
        out.writeStringField("transport", r.transport() == null ? null : lower(r.transport()));
        out.writeObjectFieldStart("transports");
        for (TransportProbe p : r.transports()) {
            out.writeObjectFieldStart(lower(p.transport()));
            out.writeNumberField("port", p.port());
            out.writeStringField("outcome", lower(p.outcome()));
            out.writeStringField("detail", p.detail());
            out.writeBooleanField("required", p.required());
            out.writeEndObject();
        }
        out.writeEndObject();
        number("roundTripTimeMicros", median == null ? null : median.toNanos() / 1000);
        out.writeNumberField("probesSent", r.roundTrip() == null ? 0 : r.roundTrip().sent());
        out.writeNumberField("probesAnswered", r.roundTrip() == null ? 0 : r.roundTrip().answered());
        out.writeStringField("realm", c.realm());
        out.writeStringField("expectedRealm", c.expectedRealm());
        out.writeStringField("user", c.username());
        out.writeStringField("credentials", lower(c.status()));
        error("credentialsError", c.error());
        out.writeStringField("allocation", hyphenated(a.status()));
        out.writeStringField("relayTransport", lower(a.relayTransport()));
        error("allocationError", a.error());
        out.writeStringField("relayedAddress", a.relayedAddress() == null ? null : HostPort.format(a.relayedAddress()));
        out.writeStringField("clientAddress", a.clientAddress() == null ? null : a.clientAddress().getHostAddress());
        out.writeStringField("relayTest", hyphenated(relay.status()));
        number("relayRoundTripMicros", relay.roundTrip() == null ? null : relay.roundTrip().toNanos() / 1000);
        out.writeFieldName("relayViaCheckedAddress");
        if (relay.viaCheckedAddress() == null) {
            out.writeNull();
        } else {
            out.writeBoolean(relay.viaCheckedAddress());
        }
        out.writeArrayFieldStart("diagnosis");
        for (Finding f : r.findings()) {
            out.writeStartObject();
            out.writeStringField("severity", lower(f.severity()));
            out.writeStringField("code", f.code());
            out.writeStringField("problem", f.problem());
            out.writeStringField("fix", f.fix());
            out.writeNumberField("exitCode", f.exitCode());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeNumberField("exitCode", r.exitCode());
        out.writeEndObject();
    }

    private void number(String name, Long value) throws IOException {
        out.writeFieldName(name);
        if (value == null) {
            out.writeNull();
        } else {
            out.writeNumber(value);
        }
    }

    private void error(String name, ErrorCode e) throws IOException {
        out.writeFieldName(name);
        if (e == null) {
            out.writeNull();
            return;
        }
        out.writeStartObject();
        out.writeNumberField("code", e.code());
        out.writeStringField("reason", e.reason());
        out.writeEndObject();
    }

    /** An enum constant in lower case ({@code no_answer}), as the report has always spelt most values. */
    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** An enum constant in lower case with hyphens ({@code not-tested}): the allocation's and relay test's spelling. */
    private static String hyphenated(Enum<?> e) {
        return lower(e).replace('_', '-');
    }
}
