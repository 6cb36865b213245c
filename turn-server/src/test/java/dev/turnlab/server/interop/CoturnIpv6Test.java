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
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * IPv6 end to end with coturn's own client (RFC 8656 §7.2, §18.6): our server listens on {@code ::1} only
 * and relays from {@code ::1}; {@code turnutils_uclient -x} asks for an IPv6 relayed address over UDP and
 * TCP, with channels and with Send indications, to {@code turnutils_peer} on {@code ::1}, and with
 * {@code -y} from client to client through two IPv6 relays; 50 messages of 120 bytes per session, 20 ms
 * apart, none lost. uclient asks for the family of its peer's address when given one ({@code -e}),
 * whatever {@code -x} or {@code -X} says: with an IPv4 peer it asks for an IPv4 relay, which this server
 * has not, and gets 440 Address Family not Supported (RFC 8656 §7.2). Skipped when the machine has no IPv6
 * loopback or coturn is missing; every tool runs under a timeout.
 */
class CoturnIpv6Test {

    private static final String USER = "uclient";
    private static final String PASSWORD = "uclient-secret";
    private static final String LOOPBACK = "::1";

    private static TurnServer server;
    private static CoturnPeer peer;
    private static int peerPort;

    @TempDir
    static Path logs;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(ipv6Loopback(), "no usable IPv6 loopback (::1) on this machine");
        Assumptions.assumeTrue(CoturnTools.available(), CoturnTools.MISSING);
        FreePorts.Block relay = FreePorts.udpBlock(100);
        server = TurnServer.builder().listen(LOOPBACK).port(0).relayPorts(relay.min(), relay.max())
                .user(USER, PASSWORD).allowLoopbackPeers(true).build().start();
        peer = CoturnPeer.start(LOOPBACK, logs.resolve("peer.log"));
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
    void listensOnIpv6LoopbackOnly() {
        assertThat(server.udpAddress().getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(server.udpAddress().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void relaysToAnIpv6PeerInEveryModeWithoutLoss() throws Exception {
        String[][] modes = {{"-x"}, {"-x", "-s"}, {"-x", "-t"}, {"-x", "-t", "-s"}};
        List<Process> runs = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < modes.length; i++) {
            Path out = logs.resolve("uclient-" + i + ".log");
            outputs.add(out);
            runs.add(uclient(modes[i], List.of("-e", LOOPBACK, "-r", Integer.toString(peerPort), "-m", "1"), out));
        }
        for (int i = 0; i < modes.length; i++) {
            assertDelivered(String.join(" ", modes[i]), runs.get(i), outputs.get(i), 50);
        }
    }

    @Test
    void twoClientsReachEachOtherThroughIpv6Relays() throws Exception {
        String[][] modes = {{"-x", "-y"}, {"-x", "-y", "-t"}};
        List<Process> runs = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < modes.length; i++) {
            Path out = logs.resolve("uclient-y-" + i + ".log");
            outputs.add(out);
            runs.add(uclient(modes[i], List.of("-m", "2"), out));
        }
        for (int i = 0; i < modes.length; i++) {
            // Two sessions of 50 messages each, every one received by the other client.
            assertDelivered(String.join(" ", modes[i]), runs.get(i), outputs.get(i), 100);
        }
    }

    @Test
    void anIpv4RelayIsRefusedWith440() throws Exception {
        Path out = logs.resolve("uclient-ipv4.log");

        // uclient asks for the family of the peer's address (-e), whatever -x or -X says.
        int status = finish(uclient(new String[] {"-X"}, List.of("-e", "127.0.0.1", "-r", "3480", "-m", "1"), out));

        String log = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(status).as("exit status, log:%n%s", log).isNotZero();
        assertThat(log).contains("error 440");
    }

    private static void assertDelivered(String mode, Process run, Path output, int messages) throws Exception {
        int status = finish(run);
        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(status).as(mode + " exit status, log:%n%s", log).isZero();
        MatchResult totals = last(TOTALS, log);
        MatchResult lost = last(LOST, log);
        assertThat(totals).as(mode + " totals in:%n%s", log).isNotNull();
        assertThat(lost).as(mode + " loss line in:%n%s", log).isNotNull();
        assertThat(Integer.parseInt(totals.group(1))).as(mode + " sent").isEqualTo(messages);
        assertThat(Integer.parseInt(totals.group(2))).as(mode + " received").isEqualTo(messages);
        assertThat(Integer.parseInt(lost.group(1))).as(mode + " lost").isZero();
    }

    private static Process uclient(String[] mode, List<String> target, Path out) throws IOException {
        List<String> command = new ArrayList<>(List.of("timeout", "60", "turnutils_uclient"));
        command.addAll(List.of(mode));
        command.addAll(target);
        command.addAll(List.of("-u", USER, "-w", PASSWORD, "-n", "50", "-l", "120", "-c", "-z", "20",
                "-L", LOOPBACK, "-p", Integer.toString(server.udpAddress().getPort()), LOOPBACK));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    /** Whether a UDP socket binds to ::1 here (a container may have IPv6 disabled). */
    private static boolean ipv6Loopback() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}
