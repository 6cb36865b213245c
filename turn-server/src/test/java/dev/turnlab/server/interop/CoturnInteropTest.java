package dev.turnlab.server.interop;

import static dev.turnlab.testing.tools.CoturnTools.LOST;
import static dev.turnlab.testing.tools.CoturnTools.TOTALS;
import static dev.turnlab.testing.tools.CoturnTools.finish;
import static dev.turnlab.testing.tools.CoturnTools.last;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.TurnServer;
import dev.turnlab.testing.tools.CoturnPeer;
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
 * Interop with coturn's own client: {@code turnutils_uclient} relays through our server to
 * {@code turnutils_peer} (a UDP echo) over UDP and TCP, with channels and with Send indications, at a
 * modest bounded rate (50 messages of 120 bytes, 20 ms apart), and must lose nothing; a wrong password
 * must be refused. coturn is installed when missing and the test runs as root; otherwise it is skipped
 * with the command to run. Every tool runs under a timeout and is stopped by this test.
 */
class CoturnInteropTest {

    private static final String USER = "uclient";
    private static final String PASSWORD = "uclient-secret";

    private static TurnServer server;
    private static CoturnPeer peer;
    private static int peerPort;

    @TempDir
    static Path logs;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(CoturnTools.available(), CoturnTools.MISSING);
        server = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(31900, 31949)
                .user(USER, PASSWORD).allowLoopbackPeers(true).build().start();
        peer = CoturnPeer.start("127.0.0.1", logs.resolve("peer.log"));
        peerPort = peer.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void relaysEveryModeWithoutLoss() throws Exception {
        String[][] modes = {{}, {"-s"}, {"-t"}, {"-t", "-s"}};
        List<Process> runs = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < modes.length; i++) {
            Path out = logs.resolve("uclient-" + i + ".log");
            outputs.add(out);
            runs.add(uclient(PASSWORD, modes[i], out));
        }
        for (int i = 0; i < modes.length; i++) {
            String mode = modes[i].length == 0 ? "udp channels" : String.join(" ", modes[i]);
            assertThat(finish(runs.get(i))).as(mode + " exit status").isZero();
            String log = Files.readString(outputs.get(i), StandardCharsets.UTF_8);
            MatchResult totals = last(TOTALS, log);
            MatchResult lost = last(LOST, log);
            assertThat(totals).as(mode + " totals in:%n%s", log).isNotNull();
            assertThat(lost).as(mode + " loss line in:%n%s", log).isNotNull();
            assertThat(Integer.parseInt(totals.group(1))).as(mode + " sent").isEqualTo(50);
            assertThat(Integer.parseInt(totals.group(2))).as(mode + " received").isEqualTo(50);
            assertThat(Integer.parseInt(lost.group(1))).as(mode + " lost").isZero();
        }
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        Path out = logs.resolve("uclient-wrong.log");
        long before = server.counters().authRejectionCount();

        int status = finish(uclient("not-the-password", new String[0], out));

        assertThat(status).isNotZero();
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("Cannot complete Allocation");
        assertThat(server.counters().authRejectionCount()).isGreaterThan(before);
    }

    private static Process uclient(String password, String[] mode, Path out) throws IOException {
        List<String> command = new ArrayList<>(List.of("timeout", "60", "turnutils_uclient"));
        command.addAll(List.of(mode));
        command.addAll(List.of("-u", USER, "-w", password, "-e", "127.0.0.1", "-r", Integer.toString(peerPort),
                "-n", "50", "-l", "120", "-m", "1", "-c", "-z", "20",
                "-p", Integer.toString(server.udpAddress().getPort()), "127.0.0.1"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

}
