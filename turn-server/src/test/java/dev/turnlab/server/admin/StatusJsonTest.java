package dev.turnlab.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * /status's JSON on a snapshot built by hand: every value where it belongs, read back by an independent
 * parser; one line, with what users send escaped as log values are; and the clear failure without Jackson.
 */
class StatusJsonTest {

    /** Quotes, a backslash, a bell, U+2028, a bidirectional override, NEL and an emoji (a surrogate pair). */
    private static final String HOSTILE = "a\"b\\c\u0007d\u2028e\u202Ef\u0085g\uD83D\uDE00";

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private static StatusSnapshot snapshot() throws Exception {
        InetSocketAddress client = new InetSocketAddress("192.0.2.7", 50000);
        InetSocketAddress listener = new InetSocketAddress("127.0.0.1", 3478);
        InetSocketAddress relayed = new InetSocketAddress("2001:db8::1", 24000);
        InetSocketAddress peer = new InetSocketAddress("198.51.100.9", 40000);
        StatusSnapshot.AllocationStatus allocation = new StatusSnapshot.AllocationStatus("4aee177582cb", HOSTILE, "udp", client,
                listener, List.of(relayed), NOW.minusSeconds(30), NOW.plusSeconds(570),
                List.of(peer.getAddress()), List.of(new StatusSnapshot.Channel(0x4001, peer, NOW.plusSeconds(270))),
                new MetricsSnapshot.Traffic(1, 3, 2, 6), 64_000, new MetricsSnapshot.Traffic(7, 8, 9, 10));
        StatusSnapshot.Server server = new StatusSnapshot.Server("1.2.3", "expressway", "TANDBERG", HOSTILE,
                List.of(new StatusSnapshot.Listener("udp", listener)), 24000, 29999,
                List.of(InetAddress.getByName("127.0.0.1")), "io_uring");
        return new StatusSnapshot(server, NOW, PrometheusTextTest.snapshot(), List.of(allocation));
    }

    @Test
    void everyValueReadsBackFromItsField() throws Exception {
        JsonNode status = new ObjectMapper().readTree(StatusJson.format(snapshot()));

        List<String> names = new ArrayList<>();
        status.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("version", "profile", "realm", "software", "ioTransport", "time", "started",
                "uptimeSeconds", "listeners", "relay", "draining", "alternateRedirects", "tls", "faults", "cluster", "totals",
                "allocations");
        assertThat(status.at("/cluster/node").asText()).isEqualTo("turn-a");
        assertThat(status.at("/cluster/redisUp").asBoolean()).isTrue();
        assertThat(status.at("/cluster/nodes/1/name").asText()).isEqualTo("turn-b");
        assertThat(status.at("/cluster/nodes/1/address").asText()).isEqualTo("192.0.2.2");
        assertThat(status.at("/cluster/nodes/1/draining").asBoolean()).isTrue();
        assertThat(status.at("/cluster/nodes/1/loadPercent").asInt()).isEqualTo(70);
        assertThat(status.get("software").asText()).isEqualTo(HOSTILE);
        assertThat(status.get("ioTransport").asText()).isEqualTo("io_uring");
        assertThat(status.get("time").asText()).isEqualTo("2026-12-03T10:00:00Z");
        assertThat(status.get("uptimeSeconds").asLong()).isEqualTo(61);
        assertThat(status.at("/listeners/0/address").asText()).isEqualTo("127.0.0.1");
        assertThat(status.at("/listeners/0/port").asInt()).isEqualTo(3478);
        assertThat(status.at("/relay/portMax").asInt()).isEqualTo(29999);
        assertThat(status.at("/relay/portsFree").asInt()).isEqualTo(96);
        assertThat(status.at("/relay/addresses/0").asText()).isEqualTo("127.0.0.1");
        assertThat(status.get("faults")).isEmpty();
        assertThat(status.get("draining").asBoolean()).isTrue();
        assertThat(status.get("alternateRedirects").get("full").asLong()).isEqualTo(18);
        assertThat(status.get("alternateRedirects").get("draining").asLong()).isEqualTo(19);
        assertThat(status.get("tls").get("subject").asText()).isEqualTo("CN=turn.example.com");
        assertThat(status.get("tls").get("expires").asText()).isEqualTo("2027-01-15T08:00:00Z");
        assertThat(status.get("tls").get("reloads").asLong()).isEqualTo(31);
        assertThat(status.get("tls").get("reloadFailures").asLong()).isEqualTo(32);
        assertThat(status.at("/totals/allocationsDeleted/expired").asLong()).isEqualTo(6);
        assertThat(status.at("/totals/relayed/bytesToClient").asLong()).isEqualTo(800);
        assertThat(status.at("/totals/authFailures/integrity").asLong()).isEqualTo(1);
        assertThat(status.at("/totals/errorResponses/0/method").asText()).isEqualTo("allocate");
        assertThat(status.at("/totals/errorResponses/0/code").asInt()).isEqualTo(486);
        assertThat(status.at("/totals/errorResponses/2/count").asLong()).isEqualTo(3);
        assertThat(status.at("/totals/dropped/no_permission").asLong()).isEqualTo(11);
        JsonNode a = status.at("/allocations/0");
        assertThat(a.get("id").asText()).isEqualTo("4aee177582cb");
        assertThat(a.get("maxBps").asLong()).isEqualTo(64_000);
        assertThat(a.get("username").asText()).isEqualTo(HOSTILE);
        assertThat(a.get("client").asText()).isEqualTo("192.0.2.7:50000");
        assertThat(a.get("relayed").get(0).asText()).isEqualTo("[2001:db8::1]:24000");
        assertThat(a.get("permissions").get(0).asText()).isEqualTo("198.51.100.9");
        assertThat(a.at("/channels/0/number").asInt()).isEqualTo(0x4001);
        assertThat(a.at("/channels/0/expires").asText()).isEqualTo("2026-12-03T10:04:30Z");
        assertThat(a.at("/traffic/bytesToPeer").asLong()).isEqualTo(3);
    }

    @Test
    void oneLineWithWhatUsersSendEscapedAsInTheLog() throws Exception {
        String json = StatusJson.format(snapshot());

        assertThat(json).endsWith("}\n").hasLineCount(1)
                .doesNotContain("\u0007", "\u2028", "\u202E", "\u0085", "\uD83D")
                .contains("\"software\":\"a\\\"b\\\\c\\u0007d\\u2028e\\u202ef\\u0085g\\ud83d\\ude00\"");
    }

    @Test
    void withoutJacksonAnAdminListenerSaysWhichArtifactToAdd() {
        assertThat(AdminServer.missingJackson(className -> !className.startsWith("com.fasterxml.jackson.")))
                .isEqualTo("admin: the admin listener needs com.fasterxml.jackson.core:jackson-core on the class path "
                        + "for /status (an optional dependency of turn-server; turn-server-app has it)");
        assertThat(AdminServer.missingJackson(className -> className.equals(AdminServer.JACKSON_GENERATOR))).isNull();
    }
}
