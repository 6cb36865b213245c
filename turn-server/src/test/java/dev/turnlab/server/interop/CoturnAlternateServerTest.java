package dev.turnlab.server.interop;

import static dev.turnlab.testing.tools.CoturnTools.TOTALS;
import static dev.turnlab.testing.tools.CoturnTools.finish;
import static dev.turnlab.testing.tools.CoturnTools.last;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.TurnServer;
import dev.turnlab.testing.tools.CoturnTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.MatchResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * coturn's own client against a draining server of ours with an alternate (RFC 8489 §10): {@code
 * turnutils_uclient} reports "error 300 (Try Alternate)", follows ALTERNATE-SERVER and relays through the
 * alternate; the draining server holds no allocation. Under a timeout.
 */
class CoturnAlternateServerTest {

    @TempDir
    Path logs;

    @Test
    void uclientFollows300ToTheAlternateAndRelaysThere() throws Exception {
        Assumptions.assumeTrue(CoturnTools.available(), CoturnTools.MISSING);
        try (TurnServer alternate = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(30300, 30349)
                .user("uclient", "uclient-secret").build().start();
                TurnServer draining = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(30350, 30399)
                        .user("uclient", "uclient-secret").alternateServer(alternate.udpAddress()).build().start()) {
            draining.drain(true);
            Path out = logs.resolve("uclient-300.log");
            Process uclient = new ProcessBuilder("timeout", "60", "turnutils_uclient", "-y", "-u", "uclient", "-w",
                    "uclient-secret", "-n", "5", "-l", "100", "-m", "1", "-c",
                    "-p", Integer.toString(draining.udpAddress().getPort()), "127.0.0.1")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            int status = finish(uclient);
            String log = Files.readString(out, StandardCharsets.UTF_8);

            assertThat(status).as("exit status, log:%n%s", log).isZero();
            assertThat(log).contains("error 300 (Try Alternate)");
            MatchResult totals = last(TOTALS, log);
            assertThat(totals).as("totals in:%n%s", log).isNotNull();
            assertThat(Integer.parseInt(totals.group(2))).as("received through the alternate").isEqualTo(10);
            assertThat(draining.metrics().drain().redirects().get("draining")).isPositive();
            assertThat(draining.metrics().allocationsCreated()).isZero();
            assertThat(alternate.metrics().allocationsCreated()).isEqualTo(2);
        }
    }
}
