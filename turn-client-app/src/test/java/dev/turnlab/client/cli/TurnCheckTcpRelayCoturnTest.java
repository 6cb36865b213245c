package dev.turnlab.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnlab.testing.tools.Coturn;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code turn-check --relay-transport tcp} against coturn's {@code turnserver}, with and without TCP relays. */
class TurnCheckTcpRelayCoturnTest {

    private static final String USER = "coturn-user";
    private static final String PASSWORD = "coturn-secret";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return TurnCheckCommand.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    @Test
    void aTcpRelayTestPassesAndTheJsonSaysTcp() throws Exception {
        Assumptions.assumeTrue(Coturn.available(), Coturn.MISSING);
        try (Coturn coturn = Coturn.builder().user(USER, PASSWORD).start()) {
            int code = run("--server", "127.0.0.1:" + coturn.address().getPort(), "--user", USER, "--password", PASSWORD,
                    "--relay-transport", "tcp", "--relay-test", "--format", "json", "--probes", "2", "--timeout", "5s");

            JsonNode report = new ObjectMapper().readTree(out.toString()).at("/turnServers/0");
            assertThat(code).as("%s%s", out, err).isZero();
            assertThat(report.get("transport").asText()).isEqualTo("tcp");
            assertThat(report.get("allocation").asText()).isEqualTo("allocated");
            assertThat(report.get("relayTransport").asText()).isEqualTo("tcp");
            assertThat(report.get("relayTest").asText()).isEqualTo("passed");
            assertThat(report.get("relayRoundTripMicros").asLong()).isPositive();
        }
    }

    @Test
    void aServerWithoutTcpRelaysExitsFiveSayingSoInPlainWords() throws Exception {
        Assumptions.assumeTrue(Coturn.available(), Coturn.MISSING);
        try (Coturn coturn = Coturn.builder().user(USER, PASSWORD).arguments("--no-tcp-relay").start()) {
            int code = run("--server", "127.0.0.1:" + coturn.address().getPort(), "--user", USER, "--password", PASSWORD,
                    "--relay-transport", "tcp", "--relay-test", "--probes", "1", "--timeout", "5s");

            assertThat(code).isEqualTo(5);
            assertThat(out.toString()).contains("  allocation      TCP relay REFUSED: 442 ",
                    "the server does not offer RFC 6062 TCP relays",
                    "fix: allow TCP relays on the server (coturn: remove no-tcp-relay from turnserver.conf)");
        }
    }
}
