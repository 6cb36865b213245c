package dev.turnlab.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.LoopbackServers;
import dev.turnlab.server.TurnServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** turn-check's command line: usage errors, help, and a run against our server. */
class TurnCheckCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return TurnCheckCommand.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--user alice --password x                         | Missing required option: '--server=HOST[:PORT]'",
        "--server 127.0.0.1 --transport sctp               | transport: sctp (expected: udp, tcp or tls)",
        "--server 127.0.0.1 --format yaml                  | format: yaml (expected: text, json or xml)",
        "--server 127.0.0.1 --timeout soon                 | --timeout: soon (expected: a positive duration such as 5s or 800ms)",
        "--server 127.0.0.1 --user alice                   | --user needs --password",
        "--server 127.0.0.1 --relay-test                   | --relay-test needs --user and --password (it allocates a relay)",
        "--server 127.0.0.1:99999                          | server: 127.0.0.1:99999 (expected: HOST[:PORT] with PORT 1-65535)",
        "--server 127.0.0.1 --probes 0                     | probes: 0 (expected: 1-100)",
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
                "3  unreachable (no answer, port closed) or TLS failure", "6  relay test failed");
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
