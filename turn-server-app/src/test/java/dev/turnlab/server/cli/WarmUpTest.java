package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.TurnServerConfig;
import dev.turnlab.server.admin.MetricsSnapshot;
import dev.turnlab.testing.tools.CapturedLog;
import dev.turnlab.testing.tools.FreePorts;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The warm-up runs whole TURN sessions over loopback UDP and TCP through a throwaway server built like the real
 * one: every request is answered by the real handlers and every datagram relayed both ways, as that server's own
 * counters show; it stops at its amount of traffic or its time limit; it logs one line and nothing of the
 * throwaway server's; and afterwards every port it used, listening and relay, is free again.
 */
class WarmUpTest {

    /** Far more than the few sessions below need: these warm-ups stop on their amount of traffic. */
    private static final Duration AMPLE = Duration.ofMinutes(2);

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private FreePorts.Block relays;
    private TurnServerConfig real;

    @BeforeEach
    void realServer() throws IOException {
        relays = FreePorts.udpBlock(20);
        // The real server's own listeners and credential are nothing to the warm-up: only its I/O settings and relays.
        real = TurnServer.builder().listen("127.0.0.1").port(3478).noTls().user("alice", "secret")
                .relayPorts(relays.min(), relays.max()).ioThreads(2).build().config();
    }

    @Test
    void everySessionRunsTheWholeExchangeThroughTheRealHandlersOverUdpAndTcp() throws IOException {
        int sessions = WarmUp.TCP_EVERY; // the last over TCP, the others over UDP
        // No settling: exactly as many sessions as relay this many datagrams.
        WarmUp.Result r = WarmUp.run(real, new WarmUp.Plan((long) sessions * WarmUpTraffic.DATAGRAMS, Duration.ZERO, 0, AMPLE));

        assertThat(r.failure()).isNull();
        assertThat(r.sessions()).isEqualTo(sessions);
        assertThat(r.requests()).isEqualTo((long) sessions * WarmUpTraffic.REQUESTS);
        assertThat(r.datagrams()).isEqualTo((long) sessions * WarmUpTraffic.DATAGRAMS);

        MetricsSnapshot m = r.metrics();
        long bindings = sessions * (WarmUpTraffic.REQUESTS - 6L);
        assertThat(m.requests()).containsEntry("binding", bindings).containsEntry("allocate", 2L * sessions)
                .containsEntry("create_permission", (long) sessions).containsEntry("channel_bind", (long) sessions)
                .containsEntry("refresh", 2L * sessions);
        assertThat(m.authChallenges()).isEqualTo(sessions);
        assertThat(m.authFailures().values()).allMatch(n -> n == 0);
        assertThat(m.allocationsCreated()).isEqualTo(sessions);
        assertThat(m.allocationsDeleted()).containsEntry("refresh", (long) sessions);
        assertThat(m.allocationsActive()).isZero();
        long eachWay = r.datagrams();
        assertThat(m.relayed()).isEqualTo(new MetricsSnapshot.Traffic(eachWay, eachWay * 160, eachWay, eachWay * 160));
        assertThat(m.dropped().values()).allMatch(n -> n == 0);

        assertThat(log.lines()).singleElement().satisfies(l -> assertThat(l).startsWith("TURN warm-up done in ")
                .contains(": 8 sessions, " + r.requests() + " requests, " + r.datagrams() + " datagrams each way over loopback, "));
        assertPortsFree(r);
    }

    @Test
    void aRealBandwidthLimitDoesNotStopIt() throws IOException {
        // 2 kB/s per allocation: the warm-up relays about 300 kB each way per session, in well under a second.
        TurnServerConfig limited = TurnServer.builder().listen("127.0.0.1").port(3478).noTls().user("alice", "secret")
                .relayPorts(relays.min(), relays.max()).maxBps(2_000).bpsCapacity(4_000).build().config();

        WarmUp.Result r = WarmUp.run(limited, new WarmUp.Plan(2L * WarmUpTraffic.DATAGRAMS, Duration.ZERO, 0, AMPLE));

        assertThat(r.failure()).isNull();
        assertThat(r.datagrams()).isEqualTo(2L * WarmUpTraffic.DATAGRAMS);
        assertThat(r.metrics().dropped().values()).allMatch(n -> n == 0);
    }

    @Test
    void itStopsAtItsLimitAndThatIsNoFailure() throws IOException {
        WarmUp.Result r = WarmUp.run(real, new WarmUp.Plan(Long.MAX_VALUE, Duration.ZERO, 0, Duration.ofMillis(300)));

        assertThat(r.failure()).isNull();
        assertThat(r.sessions()).isPositive();
        assertThat(r.elapsed()).isLessThan(AMPLE);
        assertThat(log.linesAtLeast(Level.WARN)).isEmpty();
        assertPortsFree(r);
    }

    @Test
    void theThrowawayServerLogsNothingAndTheLogLevelIsRestoredAfterwards() {
        ch.qos.logback.classic.Logger server = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.turnlab.server");
        Level before = server.getLevel();

        WarmUp.run(real, new WarmUp.Plan(1, Duration.ZERO, 0, AMPLE));

        assertThat(log.lines()).singleElement().satisfies(l -> assertThat(l).startsWith("TURN warm-up done in "));
        assertThat(server.getLevel()).isEqualTo(before);
    }

    @Test
    void aWarmUpThatCannotAllocateIsAWarningAndReleasesEverything() throws IOException {
        // Another process holds every relay port: the warm-up's Allocate is refused.
        List<DatagramSocket> foreign = new ArrayList<>();
        try {
            for (int port = relays.min(); port <= relays.max(); port++) {
                foreign.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            }
            WarmUp.Result r = WarmUp.run(real, new WarmUp.Plan(1, Duration.ZERO, 0, AMPLE));

            assertThat(r.sessions()).isZero();
            assertThat(r.failure()).isEqualTo("Allocate: 508 Insufficient Capacity");
            // The throwaway server's own warnings show too: here, each relay port it found taken.
            assertThat(log.linesAtLeast(Level.WARN)).filteredOn(l -> l.startsWith("TURN warm-up")).singleElement()
                    .satisfies(l -> assertThat(l).startsWith("TURN warm-up done in ").contains(": 0 sessions, ")
                            .endsWith("; stopped early: Allocate: 508 Insufficient Capacity"));
            assertPortsFree(r, foreign);
        } finally {
            foreign.forEach(DatagramSocket::close);
        }
    }

    @Test
    void theThrowawayServerIsLikeTheRealOneWhereItsCodePathsAreConcerned() {
        TurnServerConfig throwaway = WarmUp.throwaway(real, "password").config();

        assertThat(throwaway.sockets()).isEqualTo(real.sockets());
        assertThat(throwaway.relay().ports()).isEqualTo(real.relay().ports());
        assertThat(throwaway.relay().lifetimes()).isEqualTo(real.relay().lifetimes());
        assertThat(throwaway.limits().bandwidth()).isEqualTo(real.limits().bandwidth());
        assertThat(throwaway.profile()).isEqualTo(real.profile());
        assertThat(throwaway.auth().realm()).isEqualTo(real.auth().realm());
        // Its own listeners and credential, loopback peers, and nothing that reaches beyond the process.
        assertThat(throwaway.listeners().addresses()).containsExactly(InetAddress.getLoopbackAddress());
        assertThat(throwaway.auth().users()).containsOnlyKeys("warm-up");
        assertThat(throwaway.relay().allowLoopbackPeers()).isTrue();
        assertThat(throwaway.admin()).isNull();
        assertThat(throwaway.capture()).isNull();
        assertThat(throwaway.cluster()).isNull();
    }

    /** The throwaway server's listening ports and the whole relay range can be bound again. */
    private void assertPortsFree(WarmUp.Result r) throws IOException {
        assertPortsFree(r, List.of());
    }

    /** The throwaway server's listening ports can be bound again, and the relay range once {@code held} is closed. */
    private void assertPortsFree(WarmUp.Result r, List<DatagramSocket> held) throws IOException {
        held.forEach(DatagramSocket::close);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        assertThat(r.listeners()).hasSize(2);
        try (DatagramSocket udp = new DatagramSocket(r.listeners().get(0));
                ServerSocket tcp = new ServerSocket(r.listeners().get(1).getPort(), 50, loopback)) {
            assertThat(udp.getLocalPort()).isEqualTo(r.listeners().get(0).getPort());
            assertThat(tcp.getLocalPort()).isEqualTo(r.listeners().get(1).getPort());
        }
        for (int port = relays.min(); port <= relays.max(); port++) {
            try (DatagramSocket relay = new DatagramSocket(new InetSocketAddress(loopback, port))) {
                assertThat(relay.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
