package dev.turnlab.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnlab.client.Transport;
import dev.turnlab.client.check.Finding;
import dev.turnlab.client.check.ServerAddress;
import dev.turnlab.client.check.ServerReport;
import dev.turnlab.client.check.ServerReport.AllocationCheck;
import dev.turnlab.client.check.ServerReport.CredentialCheck;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.client.check.ServerReport.RoundTrip;
import dev.turnlab.client.check.ServerReport.TransportProbe;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** turn-check's JSON on fixed reports, read back by Jackson's parser: CMS's fields, the ranking, nulls, escapes. */
class JsonReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The first server of the CMS guide's example (seed document, step 2c). */
    private static final ServerReport CMS_EXAMPLE = healthy("10.48.36.248", 37, "10.48.36.5", 44920);

    @Test
    void carriesTheCmsFieldsTheRankingAndTheChoice() throws Exception {
        ServerReport second = healthy("10.48.79.129", 48, "10.48.36.5", 44920);

        String text = JsonReport.format(List.of(second, CMS_EXAMPLE));
        JsonNode json = JSON.readTree(text);

        assertThat(json.get("total").asInt()).isEqualTo(2);
        assertThat(json.get("ranking")).extracting(JsonNode::asText).containsExactly("10.48.36.248:3478", "10.48.79.129:3478");
        assertThat(json.get("chosen").asText()).isEqualTo("10.48.36.248:3478");
        assertThat(json.get("exitCode").asInt()).isZero();
        JsonNode first = json.at("/turnServers/0");
        assertThat(names(first)).containsExactly("status", "address", "portNumber", "checkedAddress", "reachable",
                "roundTripTimeMs", "mappedAddress", "mappedPortNumber", "transport", "transports", "roundTripTimeMicros",
                "probesSent", "probesAnswered", "realm", "expectedRealm", "user", "credentials", "credentialsError",
                "allocation", "relayTransport", "allocationError", "relayedAddress", "clientAddress", "relayTest", "relayRoundTripMicros",
                "relayViaCheckedAddress", "diagnosis", "exitCode");
        assertThat(first.get("status").asText()).isEqualTo("success");
        assertThat(first.get("roundTripTimeMs").asLong()).isEqualTo(48);
        assertThat(first.get("roundTripTimeMicros").asLong()).isEqualTo(48_000);
        assertThat(first.get("mappedPortNumber").asInt()).isEqualTo(44920);
        assertThat(first.at("/transports/udp/outcome").asText()).isEqualTo("answered");
        assertThat(first.at("/transports/udp/required").isBoolean()).isTrue();
        assertThat(first.get("credentials").asText()).isEqualTo("accepted");
        assertThat(first.get("allocation").asText()).isEqualTo("allocated");
        assertThat(first.get("relayTransport").asText()).isEqualTo("udp");
        assertThat(first.get("relayedAddress").asText()).isEqualTo("10.48.79.129:24000");
        assertThat(first.get("relayTest").asText()).isEqualTo("not-run");
        assertThat(first.get("diagnosis")).isEmpty();
        // What lab/netns-scenarios.sh and people grep for: "name": value on a line of its own.
        assertThat(text).contains("\n      \"roundTripTimeMs\": 37,\n", "\"diagnosis\": []", "\"chosen\": \"10.48.36.248:3478\"")
                .startsWith("{\n  \"total\": 2,\n  \"turnServers\": [\n    {\n      \"status\": \"success\",\n")
                .endsWith("\n  \"exitCode\": 0\n}\n");
    }

    @Test
    void unknownValuesAreNullAndFindingsCarryTheirCodes() throws Exception {
        ServerReport down = new ServerReport(new ServerAddress("192.0.2.9", 3478), null,
                List.of(new TransportProbe(Transport.UDP, 3478, TransportProbe.Outcome.NO_ANSWER, "no answer within 5 s", false)),
                null, null, null, new CredentialCheck(CredentialCheck.Status.NOT_TESTED, null, null, null, null),
                new AllocationCheck(AllocationCheck.Status.NOT_TESTED, null, null, null, "", null), RelayCheck.NOT_RUN,
                List.of(new Finding(Finding.Severity.PROBLEM, "no-answer", "no answer", "open UDP 3478", 3)));

        JsonNode json = JSON.readTree(JsonReport.format(List.of(down)));

        JsonNode r = json.at("/turnServers/0");
        for (String field : List.of("checkedAddress", "roundTripTimeMs", "mappedAddress", "mappedPortNumber", "transport",
                "roundTripTimeMicros", "realm", "user", "credentialsError", "allocationError", "relayedAddress",
                "relayRoundTripMicros", "relayViaCheckedAddress")) {
            assertThat(r.get(field).isNull()).as(field).isTrue();
        }
        assertThat(r.at("/transports/udp/outcome").asText()).isEqualTo("no_answer");
        assertThat(r.get("credentials").asText()).isEqualTo("not_tested");
        assertThat(r.get("allocation").asText()).isEqualTo("not-tested");
        assertThat(r.at("/diagnosis/0/code").asText()).isEqualTo("no-answer");
        assertThat(r.at("/diagnosis/0/severity").asText()).isEqualTo("problem");
        assertThat(json.get("chosen").isNull()).isTrue();
        assertThat(json.get("exitCode").asInt()).isEqualTo(3);
    }

    @Test
    void stringsAreEscaped() throws Exception {
        String odd = "a\"b\\c\nd\u0001";
        ServerReport r = new ServerReport(new ServerAddress("192.0.2.9", 3478), null,
                List.of(new TransportProbe(Transport.UDP, 3478, TransportProbe.Outcome.NO_ANSWER, odd, false)),
                null, null, null, new CredentialCheck(CredentialCheck.Status.NOT_TESTED, null, null, null, null),
                new AllocationCheck(AllocationCheck.Status.NOT_TESTED, null, null, null, "", null), RelayCheck.NOT_RUN,
                List.of());

        String text = JsonReport.format(List.of(r));

        assertThat(text).contains("\"detail\": \"a\\\"b\\\\c\\nd\\u0001\"");
        assertThat(JSON.readTree(text).at("/turnServers/0/transports/udp/detail").asText()).isEqualTo(odd);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static ServerReport healthy(String host, int millis, String mapped, int mappedPort) {
        return new ServerReport(new ServerAddress(host, 3478), null,
                List.of(new TransportProbe(Transport.UDP, 3478, TransportProbe.Outcome.ANSWERED, "", false)), Transport.UDP,
                new RoundTrip(Duration.ofMillis(millis), 5, 5), new InetSocketAddress(mapped, mappedPort),
                new CredentialCheck(CredentialCheck.Status.ACCEPTED, "expturncreds", "TANDBERG", null, null),
                new AllocationCheck(AllocationCheck.Status.ALLOCATED, new InetSocketAddress(host, 24000),
                        Duration.ofSeconds(600), null, "", null), RelayCheck.NOT_RUN, List.of());
    }
}
