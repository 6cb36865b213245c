package dev.turnlab.server.interop;

import static dev.turnlab.testing.tools.CoturnTools.LOST;
import static dev.turnlab.testing.tools.CoturnTools.TOTALS;
import static dev.turnlab.testing.tools.CoturnTools.finish;
import static dev.turnlab.testing.tools.CoturnTools.last;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.TurnServer;
import dev.turnlab.testing.tools.CoturnTools;
import dev.turnlab.testing.tools.FreePorts;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
    private static Process peer;
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
        peerPort = freePortPair();
        peer = new ProcessBuilder("turnutils_peer", "-L", LOOPBACK, "-p", Integer.toString(peerPort))
                .redirectErrorStream(true).redirectOutput(logs.resolve("peer.log").toFile()).start();
        awaitBound(peerPort);
    }

    @AfterAll
    static void stop() throws Exception {
        CoturnTools.stop(peer);
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

    /** Waits until turnutils_peer echoes a datagram sent to it on ::1, at most 30 s. */
    private static void awaitBound(int port) throws Exception {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(LOOPBACK), port);
        byte[] probe = "ready?".getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0))) {
            s.setSoTimeout(250);
            while (System.nanoTime() < deadline) {
                assertThat(peer.isAlive()).as("turnutils_peer running").isTrue();
                s.send(new DatagramPacket(probe, probe.length, target));
                try {
                    s.receive(new DatagramPacket(new byte[64], 64));
                    return;
                } catch (SocketTimeoutException notYet) {
                    // not listening yet: send again
                }
            }
        }
        throw new AssertionError("turnutils_peer did not echo on [::1]:" + port + " within 30 s; log: "
                + Files.readString(logs.resolve("peer.log"), StandardCharsets.UTF_8));
    }

    /** An even port P of ::1 with P+1 free as well: uclient also binds a channel to the peer's port + 1. */
    private static int freePortPair() throws IOException {
        InetAddress loopback = InetAddress.getByName(LOOPBACK);
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = 36000 + 2 * ThreadLocalRandom.current().nextInt(1500);
            try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(loopback, port));
                    DatagramSocket b = new DatagramSocket(new InetSocketAddress(loopback, port + 1))) {
                return port;
            } catch (IOException taken) {
                // try another pair
            }
        }
        throw new IOException("no free UDP port pair on ::1");
    }
}
