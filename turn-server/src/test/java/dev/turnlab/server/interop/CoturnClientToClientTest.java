package dev.turnlab.server.interop;

import static dev.turnlab.testing.tools.CoturnTools.LOST;
import static dev.turnlab.testing.tools.CoturnTools.TOTALS;
import static dev.turnlab.testing.tools.CoturnTools.finish;
import static dev.turnlab.testing.tools.CoturnTools.last;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.TurnServer;
import dev.turnlab.testing.tools.CoturnTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relay to relay with coturn's own client: {@code turnutils_uclient -y} makes two allocations on our
 * server and sends from each client through both relays to the other (ICE's relay-relay pair), over UDP
 * and TCP, with channels and with Send indications, 50 messages of 120 bytes per session, 20 ms apart,
 * and must lose nothing. The servers run without {@code allowLoopbackPeers}: their own live allocations are
 * peers whatever address they are on. The second one advertises its relays on 127.0.0.2 while they bind to
 * 127.0.0.1, as behind a static NAT that does not hairpin. Every tool runs under a timeout.
 */
class CoturnClientToClientTest {

    private static final String USER = "uclient";
    private static final String PASSWORD = "uclient-secret";

    private static TurnServer server;
    private static TurnServer natted;

    @TempDir
    static Path logs;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(CoturnTools.available(), CoturnTools.MISSING);
        server = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(30100, 30199)
                .user(USER, PASSWORD).build().start();
        natted = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(30200, 30299).relayAddress("127.0.0.1")
                .externalAddress("127.0.0.2").user(USER, PASSWORD).build().start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (natted != null) {
            natted.close();
        }
    }

    @Test
    void twoClientsReachEachOtherThroughTheirRelaysWithoutLoss() throws Exception {
        String[][] modes = {{}, {"-s"}, {"-t"}, {"-t", "-s"}, {}, {"-t", "-s"}};
        List<Process> runs = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < modes.length; i++) {
            Path out = logs.resolve("uclient-y-" + i + ".log");
            outputs.add(out);
            runs.add(uclient(i < 4 ? server : natted, modes[i], out));
        }
        for (int i = 0; i < modes.length; i++) {
            String mode = "-y " + (modes[i].length == 0 ? "udp channels" : String.join(" ", modes[i]))
                    + (i < 4 ? "" : " (advertised 127.0.0.2)");
            int status = finish(runs.get(i));
            String log = Files.readString(outputs.get(i), StandardCharsets.UTF_8);
            assertThat(status).as(mode + " exit status, log:%n%s", log).isZero();
            MatchResult totals = last(TOTALS, log);
            MatchResult lost = last(LOST, log);
            assertThat(totals).as(mode + " totals in:%n%s", log).isNotNull();
            assertThat(lost).as(mode + " loss line in:%n%s", log).isNotNull();
            // Two sessions of 50 messages each, every one received by the other client.
            assertThat(Integer.parseInt(totals.group(1))).as(mode + " sent").isEqualTo(100);
            assertThat(Integer.parseInt(totals.group(2))).as(mode + " received").isEqualTo(100);
            assertThat(Integer.parseInt(lost.group(1))).as(mode + " lost").isZero();
        }
        assertThat(server.metrics().relayToRelayPermissions()).isPositive();
        assertThat(natted.metrics().relayToRelayPermissions()).isPositive();
    }

    private static Process uclient(TurnServer target, String[] mode, Path out) throws IOException {
        List<String> command = new ArrayList<>(List.of("timeout", "60", "turnutils_uclient", "-y"));
        command.addAll(List.of(mode));
        command.addAll(List.of("-u", USER, "-w", PASSWORD, "-n", "50", "-l", "120", "-m", "2", "-c", "-z", "20",
                "-p", Integer.toString(target.udpAddress().getPort()), "127.0.0.1"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }
}
