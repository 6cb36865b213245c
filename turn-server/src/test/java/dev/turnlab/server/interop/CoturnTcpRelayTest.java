package dev.turnlab.server.interop;

import static dev.turnlab.testing.tools.CoturnTools.TOTALS;
import static dev.turnlab.testing.tools.CoturnTools.finish;
import static dev.turnlab.testing.tools.CoturnTools.last;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.TurnServer;
import dev.turnlab.server.admin.MetricsSnapshot;
import dev.turnlab.testing.tools.CoturnTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 6062 TCP relays with coturn's own client: {@code turnutils_uclient -T} makes two TCP allocations on our
 * server (over TCP, or TLS with {@code -S}); one client Connects to the other's relayed address, the other
 * gets a ConnectionAttempt, and both bind a data connection (ConnectionBind) and send through it: 50 messages
 * of 120 bytes per session, 20 ms apart, which must all arrive. {@code -P} is the passive variant, where the
 * peer side, a plain TCP socket of the other client on 127.0.0.1, connects to the relayed address and the
 * allocation's client binds it. The first server runs without {@code allowLoopbackPeers}: its peers are its own
 * relays; the passive mode's peer is on loopback, so its server allows that. Every run is under a timeout.
 */
class CoturnTcpRelayTest {

    /** uclient's final byte totals line. */
    private static final Pattern BYTES = Pattern.compile("tot_send_bytes ~ (\\d+), tot_recv_bytes ~ (\\d+)\\s*$",
            Pattern.MULTILINE);
    private static final String USER = "uclient";
    private static final String PASSWORD = "uclient-secret";

    private static TurnServer server;
    private static TurnServer loopbackPeers;

    @TempDir
    static Path logs;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(CoturnTools.available(), CoturnTools.MISSING);
        server = TurnServer.builder().listen("127.0.0.1").port(0).tlsPort(0).relayPorts(30300, 30399)
                .user(USER, PASSWORD).build().start();
        loopbackPeers = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(30400, 30499)
                .allowLoopbackPeers(true).user(USER, PASSWORD).build().start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (loopbackPeers != null) {
            loopbackPeers.close();
        }
    }

    @Test
    void twoUclientsRelayThroughTcpRelaysWithoutLoss() throws Exception {
        String[][] modes = {{"-T"}, {"-T", "-P"}, {"-T", "-S"}};
        List<Process> runs = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < modes.length; i++) {
            Path out = logs.resolve("uclient-T-" + i + ".log");
            outputs.add(out);
            runs.add(uclient(modes[i], out));
        }
        for (int i = 0; i < modes.length; i++) {
            String mode = String.join(" ", modes[i]);
            int status = finish(runs.get(i));
            String log = Files.readString(outputs.get(i), StandardCharsets.UTF_8);
            assertThat(status).as(mode + " exit status, log:%n%s", log).isZero();
            MatchResult totals = last(TOTALS, log);
            MatchResult bytes = last(BYTES, log);
            assertThat(totals).as(mode + " totals in:%n%s", log).isNotNull();
            assertThat(bytes).as(mode + " byte totals in:%n%s", log).isNotNull();
            // Two sessions of 50 messages of 120 bytes each. On a TCP relay uclient counts a message per read, so
            // two that arrive together count as one: the bytes are the measure. uclient reads the ConnectionBind
            // response with a read of up to one message (120 bytes), so when the peer's first message is already
            // waiting behind the response, it swallows it (the relay forwarded it, as the server's own counts
            // below show): at most one message per data connection. In passive mode it counts what both sides
            // send but receives on one side only (6,000 bytes, "50 lost"), as against coturn 4.6.1's turnserver.
            boolean passive = List.of(modes[i]).contains("-P");
            int expected = passive ? 6_000 : 12_000;
            assertThat(Integer.parseInt(totals.group(1))).as(mode + " sent, log:%n%s", log).isEqualTo(100);
            assertThat(Long.parseLong(bytes.group(1))).as(mode + " bytes sent, log:%n%s", log).isEqualTo(12_000);
            assertThat(Long.parseLong(bytes.group(2))).as(mode + " bytes received, log:%n%s", log)
                    .isBetween(expected - 2L * 120, (long) expected);
        }
        // Every byte the clients wrote went through the relays, each way: the clients' 12,000 bytes a run into
        // peer connections and out of the peers' relays to the other client.
        MetricsSnapshot m = server.metrics();
        assertThat(m.relayed().bytesToPeer()).as("bytes relayed to peers: %s", m).isEqualTo(2 * 12_000L);
        assertThat(m.relayed().bytesToClient()).as("bytes relayed to clients: %s", m).isEqualTo(2 * 12_000L);
        assertThat(m.tcpRelays().opened()).as("peer data connections").isEqualTo(2L * 2);
        assertThat(m.requests().get("connection_bind")).isGreaterThanOrEqualTo(2L * 2);
        assertThat(m.tcpRelays().failures()).containsEntry("unknown_bind", 0L).containsEntry("connect_failed", 0L);
        MetricsSnapshot passive = loopbackPeers.metrics();
        assertThat(passive.relayed().bytesToClient() + passive.relayed().bytesToPeer()).as("passive: %s", passive)
                .isGreaterThanOrEqualTo(6_000L);
        assertThat(passive.tcpRelays().opened()).as("passive peer data connections").isGreaterThanOrEqualTo(1L);
    }

    private static Process uclient(String[] mode, Path out) throws IOException {
        boolean tls = List.of(mode).contains("-S");
        TurnServer target = List.of(mode).contains("-P") ? loopbackPeers : server;
        int port = (tls ? target.tlsAddress() : target.tcpAddress()).getPort();
        List<String> command = new ArrayList<>(List.of("timeout", "60", "turnutils_uclient"));
        command.addAll(List.of(mode));
        command.addAll(List.of("-u", USER, "-w", PASSWORD, "-n", "50", "-l", "120", "-m", "2", "-z", "20",
                "-p", Integer.toString(port), "127.0.0.1"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }
}
