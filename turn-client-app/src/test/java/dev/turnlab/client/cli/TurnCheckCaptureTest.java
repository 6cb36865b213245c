package dev.turnlab.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnlab.testing.LoopbackServers;
import dev.turnlab.server.PortRange;
import dev.turnlab.server.TurnServer;
import dev.turnlab.testing.tools.Tshark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code turn-check --capture}: the check's packets, to the server and of the relay test's peer, as tshark reads them. */
class TurnCheckCaptureTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        return TurnCheckCommand.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    @Test
    void aRelayTestOverUdpIsCapturedWithItsPeer() throws Exception {
        assumeTrue(Tshark.available(), Tshark.MISSING);
        Path file = dir.resolve("check.pcap");
        int port;
        PortRange relays;
        try (TurnServer server = LoopbackServers.standard().build().start()) {
            port = server.udpAddress().getPort();
            relays = server.config().relay().ports();
            int code = run("--server", "127.0.0.1:" + port, "--user", LoopbackServers.USER, "--password",
                    LoopbackServers.PASSWORD, "--probes", "3", "--relay-test", "--capture", file.toString());
            assertThat(code).as(out + "" + err).isZero();
        }
        List<Integer> stun = List.of(port);

        assertThat(Tshark.count(file, stun, "_ws.malformed || _ws.expert.severity >= error")).isZero();
        // Transactions, not packets: a request retransmitted on a loaded machine is the same transaction.
        // The reachability Binding on UDP and on TCP, then three timed probes on UDP.
        assertThat(transactions(file, stun, "udp && stun.type == 0x0001")).isEqualTo(4);
        assertThat(transactions(file, stun, "udp && stun.type == 0x0101")).isEqualTo(4);
        assertThat(transactions(file, stun, "tcp && stun.type == 0x0001")).isEqualTo(1);
        assertThat(Tshark.count(file, stun, "tcp.flags.syn == 1")).isEqualTo(2);
        assertThat(transactions(file, stun, "udp && stun.type == 0x0003")).isEqualTo(2);
        assertThat(transactions(file, stun, "udp && stun.type == 0x0103")).isEqualTo(1);
        assertThat(Tshark.count(file, stun, "udp && stun.type == 0x0016")).isEqualTo(1);
        assertThat(Tshark.count(file, stun, "udp && stun.type == 0x0017")).isEqualTo(2);
        // The peer: hello to the relayed address, the client's ping from the relay, the echo back.
        List<String[]> peer = Tshark.fields(file, stun, "udp && !(udp.port == " + port + ")", "udp.srcport", "udp.dstport");
        assertThat(peer).hasSize(3);
        assertThat(Integer.parseInt(peer.get(0)[1])).isBetween(relays.min(), relays.max());
        assertThat(Integer.parseInt(peer.get(1)[0])).isBetween(relays.min(), relays.max());
    }

    @Test
    void tlsIsCapturedAsItsPlaintextOnTheTlsPort() throws Exception {
        assumeTrue(Tshark.available(), Tshark.MISSING);
        Path file = dir.resolve("tls.pcap");
        int tlsPort;
        try (TurnServer server = LoopbackServers.standard().tlsPort(0).build().start()) {
            tlsPort = server.tlsAddress().getPort();
            int code = run("--server", "127.0.0.1:" + tlsPort, "--transport", "tls", "--insecure", "--probes", "1",
                    "--user", LoopbackServers.USER, "--password", LoopbackServers.PASSWORD, "--capture", file.toString());
            assertThat(code).as(out + "" + err).isZero();
        }
        List<Integer> stun = List.of(tlsPort);

        assertThat(Tshark.count(file, stun, "_ws.malformed || _ws.expert.severity >= error")).isZero();
        assertThat(transactions(file, stun, "tcp.port == " + tlsPort + " && stun.type == 0x0003")).isEqualTo(2);
        assertThat(transactions(file, stun, "tcp.port == " + tlsPort + " && stun.type == 0x0103")).isEqualTo(1);
        assertThat(Tshark.count(file, stun, "tls")).isZero();
    }

    private static long transactions(Path file, List<Integer> stun, String filter) throws Exception {
        return Tshark.fields(file, stun, filter, "stun.id").stream().map(f -> f[0]).distinct().count();
    }

    @Test
    void captureOptionsWithoutAFileOrAnUnwritableFileExitTwo() {
        assertThat(run("--server", "127.0.0.1", "--capture-size", "10MB")).isEqualTo(2);
        assertThat(run("--server", "127.0.0.1", "--capture", dir.resolve("missing/x.pcap").toString())).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(2);
        assertThat(err.toString()).contains("need --capture FILE", "capture: cannot write");
    }
}
