package dev.turnlab.server.interop;

import static dev.turnlab.testing.tools.CoturnTools.LOST;
import static dev.turnlab.testing.tools.CoturnTools.TOTALS;
import static dev.turnlab.testing.tools.CoturnTools.finish;
import static dev.turnlab.testing.tools.CoturnTools.last;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.TurnServer;
import dev.turnlab.server.admin.MetricsSnapshot;
import dev.turnlab.testing.tools.CoturnPeer;
import dev.turnlab.testing.tools.CoturnTools;
import dev.turnlab.testing.tools.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.MatchResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * coturn's own client against our {@code --max-bps}: {@code turnutils_uclient} sends 100 datagrams of 500 bytes,
 * 5 ms apart (100 kB/s), through an allocation limited to 2000 bytes per second to {@code turnutils_peer}'s
 * echo; it reports the loss, and our counters say where it was dropped. Skipped, with the reason, without
 * coturn's tools; uclient runs under a timeout.
 */
class CoturnBandwidthTest {

    private static final long RATE = 2000;

    @TempDir
    Path logs;

    @Test
    void uclientSeesLossOverMaxBpsAndOurCountersSayWhy() throws Exception {
        Assumptions.assumeTrue(CoturnTools.available(), CoturnTools.MISSING);
        FreePorts.Block relays = FreePorts.udpBlock(20);
        try (TurnServer server = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(relays.min(), relays.max())
                .user("uclient", "uclient-secret").allowLoopbackPeers(true).maxBps(RATE).build().start();
                CoturnPeer peer = CoturnPeer.start("127.0.0.1", logs.resolve("peer.log"))) {
            long start = System.nanoTime();
            Path out = logs.resolve("uclient.log");
            Process uclient = new ProcessBuilder(List.of("timeout", "60", "turnutils_uclient", "-u", "uclient",
                    "-w", "uclient-secret", "-e", "127.0.0.1", "-r", Integer.toString(peer.port()), "-n", "100",
                    "-l", "500", "-m", "1", "-c", "-z", "5", "-p", Integer.toString(server.udpAddress().getPort()),
                    "127.0.0.1")).redirectErrorStream(true).redirectOutput(out.toFile()).start();

            assertThat(finish(uclient)).as("exit status").isZero();
            double elapsed = (System.nanoTime() - start) / 1e9;
            String log = Files.readString(out, StandardCharsets.UTF_8);
            MatchResult totals = last(TOTALS, log);
            MatchResult lost = last(LOST, log);
            assertThat(totals).as("totals in:%n%s", log).isNotNull();
            assertThat(lost).as("loss line in:%n%s", log).isNotNull();
            int sent = Integer.parseInt(totals.group(1));
            int received = Integer.parseInt(totals.group(2));
            assertThat(sent).isEqualTo(100);
            assertThat(received).as("echoes received").isPositive().isLessThan(sent);
            assertThat(Integer.parseInt(lost.group(1))).as("uclient's loss").isPositive();

            MetricsSnapshot m = server.metrics();
            assertThat(m.bandwidth().dropped().packetsToPeer()).as("dropped client → peer").isPositive();
            // What passed is what the limit allows over the run, one second's burst included: rate·t + burst.
            assertThat((double) m.relayed().bytesToPeer()).isLessThanOrEqualTo(RATE * elapsed + RATE);
        }
    }
}
