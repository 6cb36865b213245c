package dev.turnlab.server.interop;

import static dev.turnlab.testing.tools.CoturnTools.LOST;
import static dev.turnlab.testing.tools.CoturnTools.TOTALS;
import static dev.turnlab.testing.tools.CoturnTools.finish;
import static dev.turnlab.testing.tools.CoturnTools.last;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.TurnServer;
import dev.turnlab.testing.tools.CoturnPeer;
import dev.turnlab.testing.tools.CoturnTools;
import dev.turnlab.testing.tools.FreePorts;
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
 * TURN over DTLS (RFC 7350) with coturn's own client: {@code turnutils_uclient -S} over UDP (no {@code -t})
 * speaks DTLS to our server's DTLS listener, which has the TLS listener's self-signed certificate, and relays
 * to {@code turnutils_peer} with channels and with Send indications: 50 messages of 120 bytes per session,
 * 20 ms apart, none lost, and every session's handshake counted. uclient picks DTLS 1.0 for some of its
 * connections at random (one of its three client contexts); those get a protocol_version alert (RFC 8996) and it
 * connects again, so they are refusals, not failures. Skipped when coturn is missing; every tool runs under a
 * timeout.
 */
class CoturnDtlsClientTest {

    private static final String USER = "uclient";
    private static final String PASSWORD = "uclient-secret";

    private static TurnServer server;
    private static CoturnPeer peer;

    @TempDir
    static Path logs;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(CoturnTools.available(), CoturnTools.MISSING);
        FreePorts.Block relay = FreePorts.udpBlock(100);
        server = TurnServer.builder().listen("127.0.0.1").port(0).tlsPort(0).dtlsPort(0)
                .relayPorts(relay.min(), relay.max()).user(USER, PASSWORD).allowLoopbackPeers(true).build().start();
        peer = CoturnPeer.start("127.0.0.1", logs.resolve("peer.log"));
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
    void relaysOverDtlsWithChannelsAndSendIndicationsWithoutLoss() throws Exception {
        String[][] modes = {{}, {"-s"}};
        List<Process> runs = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < modes.length; i++) {
            Path out = logs.resolve("uclient-dtls-" + i + ".log");
            outputs.add(out);
            runs.add(uclient(modes[i], out));
        }
        for (int i = 0; i < modes.length; i++) {
            String mode = modes[i].length == 0 ? "dtls channels" : "dtls " + String.join(" ", modes[i]);
            int status = finish(runs.get(i));
            String log = Files.readString(outputs.get(i), StandardCharsets.UTF_8);
            assertThat(status).as(mode + " exit status, output:%n%s", log).isZero();
            MatchResult totals = last(TOTALS, log);
            MatchResult lost = last(LOST, log);
            assertThat(totals).as(mode + " totals in:%n%s", log).isNotNull();
            assertThat(lost).as(mode + " loss line in:%n%s", log).isNotNull();
            assertThat(Integer.parseInt(totals.group(1))).as(mode + " sent").isEqualTo(50);
            assertThat(Integer.parseInt(totals.group(2))).as(mode + " received").isEqualTo(50);
            assertThat(Integer.parseInt(lost.group(1))).as(mode + " lost").isZero();
        }
        assertThat(server.dtlsCounters().handshakes()).as("DTLS handshakes").isGreaterThanOrEqualTo(modes.length);
        assertThat(server.dtlsCounters().handshakeFailures()).as("DTLS failures").isZero();
    }

    private static Process uclient(String[] mode, Path out) throws IOException {
        List<String> command = new ArrayList<>(List.of("timeout", "60", "turnutils_uclient", "-S"));
        command.addAll(List.of(mode));
        command.addAll(List.of("-u", USER, "-w", PASSWORD, "-e", "127.0.0.1", "-r", Integer.toString(peer.port()),
                "-n", "50", "-l", "120", "-m", "1", "-c", "-z", "20",
                "-p", Integer.toString(server.dtlsAddress().getPort()), "127.0.0.1"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }
}
