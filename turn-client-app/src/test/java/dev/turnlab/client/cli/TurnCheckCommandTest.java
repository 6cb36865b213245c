package dev.turnlab.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnlab.testing.LoopbackServers;
import dev.turnlab.server.TurnServer;
import java.io.IOException;
import java.net.Inet6Address;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** turn-check's command line: usage errors, help, and a run against our server. */
class TurnCheckCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return TurnCheckCommand.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--user alice --password x                         | missing --server HOST[:PORT] or --cms-turn-server FILE",
        "--server 127.0.0.1 --require udp,sctp             | transport: sctp (expected: udp, tcp, tls or dtls)",
        "--server 127.0.0.1 --require tls                  | require: tls (expected: udp or tcp, the transports tried)",
        "--server 127.0.0.1 --transport udp --require tcp  | require: tcp (expected: only the transport tried, udp)",
        "--server 127.0.0.1 --tcp-port 70000               | --tcp-port: 70000 (expected: 1-65535)",
        "--server 127.0.0.1 --client-address no.such.host.invalid | --client-address: cannot resolve no.such.host.invalid",
        "--server 127.0.0.1 --cms-turn-server /no/such/file.xml  | --server and --cms-turn-server: give one or the other",
        "--server 127.0.0.1 --transport sctp               | transport: sctp (expected: udp, tcp, tls or dtls)",
        "--server 127.0.0.1 --format yaml                  | format: yaml (expected: text, json or xml)",
        "--server 127.0.0.1 --timeout soon                 | --timeout: soon (expected: a positive duration such as 5s or 800ms)",
        "--server 127.0.0.1 --user alice                   | --user needs --password",
        "--server 127.0.0.1 --relay-test                   | --relay-test needs --user and --password (it allocates a relay)",
        "--server 127.0.0.1:99999                          | server: 127.0.0.1:99999 (expected: HOST[:PORT] with PORT 1-65535)",
        "--server 127.0.0.1 --probes 0                     | probes: 0 (expected: 1-100)",
        "--server 127.0.0.1 --relay-family ipv5            | --relay-family: ipv5 (expected: ipv4 or ipv6)",
        "--server 127.0.0.1 --relay-transport sctp         | relay transport: sctp (expected: udp or tcp)",
        "--server 127.0.0.1 --relay-transport tcp --transport udp | --relay-transport tcp: over --transport udp (expected: --transport tcp or tls, or none: RFC 6062 TCP relays are asked for over a TCP or TLS connection)",
        "--server 127.0.0.1 --frobnicate                   | Unknown option: '--frobnicate'",
    })
    void usageErrorsAreOneLineAndExitTwo(String args, String message) {
        int code = run(args.trim().split("\\s+"));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("turn-check: " + message + " (see --help)" + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void helpListsTheOptionsAndTheExitCodes() {
        int code = run("--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("--server=HOST[:PORT]", "--relay-test", "--format=text|json|xml",
                "--cms-turn-server=FILE", "--client-address=ADDR", "--require=udp,tcp", "--tcp-port=PORT",
                "3  unreachable (no answer, refused, no STUN answer), a --require'd transport silent, TLS failure",
                "6  relay test failed");
    }

    @Test
    void anIpv6ServerAddressWithAnIpv6RelayPassesTheRelayTest() {
        try (TurnServer server = LoopbackServers.standard().listen("::1").build().start()) {
            int port = server.udpAddresses().stream().filter(a -> a.getAddress() instanceof Inet6Address)
                    .findFirst().orElseThrow().getPort();
            int code = run("--server", "[::1]:" + port, "--user", LoopbackServers.USER, "--password",
                    LoopbackServers.PASSWORD, "--relay-family", "ipv6", "--relay-test", "--probes", "2");

            assertThat(code).as(out + "%n" + err).isZero();
            assertThat(out.toString()).contains("mapped address  [::1]:", "relayed address [::1]:",
                    "-> relay -> peer [::1]:");
        }
    }

    @Test
    void xmlAgainstOurServerIsCmsShapeAndExitsZero() {
        try (TurnServer server = LoopbackServers.standard().build().start()) {
            int code = run("--server", "127.0.0.1:" + server.udpAddress().getPort(), "--user", LoopbackServers.USER,
                    "--password", LoopbackServers.PASSWORD, "--format", "xml", "--probes", "2");

            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).startsWith("<?xml version=\"1.0\"?>\n<turnServer>\n  <status>success</status>\n")
                    .contains("<portNumber>" + server.udpAddress().getPort() + "</portNumber>",
                            "<reachable>true</reachable>", "<mappedAddress>127.0.0.1</mappedAddress>");
        }
    }

    @Test
    void tlsWithAnUntrustedCertificateExitsThreeAndInsecureAcceptsIt() {
        try (TurnServer server = LoopbackServers.standard().tlsPort(0).build().start()) {
            String target = "127.0.0.1:" + server.tlsAddress().getPort();
            int untrusted = run("--server", target, "--transport", "tls", "--probes", "1");
            String untrustedOut = out.toString();
            int insecure = run("--server", target, "--transport", "tls", "--insecure", "--probes", "1",
                    "--user", LoopbackServers.USER, "--password", LoopbackServers.PASSWORD);

            assertThat(untrusted).isEqualTo(3);
            assertThat(untrustedOut).contains("PROBLEM: the TLS handshake with " + target + " failed");
            assertThat(insecure).as(out.toString()).isZero();
        }
    }

    @Test
    void dtlsWithAnUntrustedCertificateExitsThreeAndInsecureAcceptsItWithTheRelayTest() {
        try (TurnServer server = LoopbackServers.standard().tlsPort(0).build().start()) {
            String target = "127.0.0.1:" + server.dtlsAddress().getPort();
            int untrusted = run("--server", target, "--transport", "dtls", "--probes", "1");
            String untrustedOut = out.toString();
            int insecure = run("--server", target, "--transport", "dtls", "--insecure", "--probes", "1", "--relay-test",
                    "--user", LoopbackServers.USER, "--password", LoopbackServers.PASSWORD);

            assertThat(untrusted).isEqualTo(3);
            assertThat(untrustedOut).contains("PROBLEM: the DTLS handshake with " + target + " failed");
            assertThat(insecure).as(out.toString()).isZero();
            assertThat(out.toString()).contains("yes, over DTLS").containsPattern("relay test +passed");
        }
    }

    @Test
    void requiredTcpThatIsClosedIsAnXmlFailureAndExitsThree() {
        try (TurnServer server = LoopbackServers.standard().tcp(false).build().start()) {
            String target = "127.0.0.1:" + server.udpAddress().getPort();
            int lenient = run("--server", target, "--format", "xml", "--probes", "1", "--timeout", "1s");
            String lenientOut = out.toString();
            out.getBuffer().setLength(0);
            int strict = run("--server", target, "--format", "xml", "--probes", "1", "--timeout", "1s",
                    "--require", "udp,tcp");

            assertThat(lenient).as("the default passes when one transport answers").isZero();
            assertThat(lenientOut).contains("<status>success</status>");
            assertThat(strict).isEqualTo(3);
            assertThat(out.toString()).contains("<status>failure</status>", "<reachable>true</reachable>");
        }
    }

    @Test
    void hungServerExitsThreeWithNoStunAnswerInJson() throws IOException {
        try (ServerSocket tcp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int code = run("--server", "127.0.0.1:" + tcp.getLocalPort(), "--transport", "tcp", "--format", "json",
                    "--timeout", "1s");

            assertThat(code).isEqualTo(3);
            JsonNode report = new ObjectMapper().readTree(out.toString()).at("/turnServers/0");
            assertThat(report.at("/transports/tcp/outcome").asText()).isEqualTo("silent");
            assertThat(report.get("diagnosis")).extracting(f -> f.get("code").asText()).contains("no-stun-answer");
        }
    }

    @Test
    void cmsTurnServerDefinitionGivesTheServerCredentialsRealmAndClientAddress(@TempDir Path dir) throws IOException {
        try (TurnServer server = LoopbackServers.expressway().user("expturncreds", "secret").build().start()) {
            int port = server.udpAddress().getPort();
            Path xml = dir.resolve("turnserver.xml");
            // What GET /api/v1/turnservers/<id> returns (CMS does not return the password).
            Files.writeString(xml, "<?xml version=\"1.0\"?>\n<turnServer id=\"eef94a2b-3bfa-40f7-b83c-ece8df424e15\">\n"
                    + "  <serverAddress>127.0.0.1:" + port + "</serverAddress>\n  <clientAddress>127.0.0.3</clientAddress>\n"
                    + "  <numRegistrations>0</numRegistrations>\n  <username>expturncreds</username>\n"
                    + "  <type>expressway</type>\n  <tcpPortNumberOverride>" + port + "</tcpPortNumberOverride>\n"
                    + "</turnServer>\n");

            int withoutPassword = run("--cms-turn-server", xml.toString());
            String error = err.toString();
            int code = run("--cms-turn-server", xml.toString(), "--password", "secret", "--format", "json",
                    "--probes", "1");

            assertThat(withoutPassword).isEqualTo(2);
            assertThat(error).contains("has username expturncreds but no password (CMS's API does not return it)");
            assertThat(code).as(out.toString()).isZero();
            JsonNode report = new ObjectMapper().readTree(out.toString()).at("/turnServers/0");
            assertThat(report.get("realm").asText()).isEqualTo("TANDBERG");
            assertThat(report.get("expectedRealm").asText()).isEqualTo("TANDBERG");
            assertThat(report.get("credentials").asText()).isEqualTo("accepted");
            assertThat(report.get("clientAddress").asText()).isEqualTo("127.0.0.3");
            assertThat(report.get("diagnosis")).extracting(f -> f.get("code").asText()).contains("client-address-mismatch");
        }
    }

    @Test
    void wrongPasswordExitsFour() {
        try (TurnServer server = LoopbackServers.expressway().build().start()) {
            int code = run("--server", "127.0.0.1:" + server.udpAddress().getPort(), "--user", "alice",
                    "--password", "wrong", "--probes", "1");

            assertThat(code).isEqualTo(4);
            assertThat(out.toString()).contains("REJECTED: 431 Integrity Check Failure",
                    "fix: make the TURN credentials on the client match the server's local authentication database");
        }
    }
}
