package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.isError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.AlternateServer;
import dev.turnlab.server.admin.MetricsSnapshot;
import dev.turnlab.server.admin.PrometheusText;
import dev.turnlab.server.admin.StatusSnapshot;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.CapturedLog;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.Peer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * coturn's bandwidth limits: {@code max-bps} bounds what one allocation relays each way, client → peer and
 * peer → client apart, with a burst of one second's worth, dropping and counting the rest, for ChannelData and
 * Send/Data indications on every transport; {@code bps-capacity} is a budget each allocation reserves its
 * {@code max-bps} from, refusing with 508 (or 300 to an alternate) an Allocate that does not fit, until an
 * allocation ends.
 */
class BandwidthTest {

    private static final int CHANNEL = 0x4000;
    private static final InetSocketAddress ALTERNATE = new InetSocketAddress("192.0.2.5", 3478);

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private final MutableClock clock = MutableClock.now();

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void onAStoppedClockExactlyTheBurstPassesEachWayAndTimeRefillsIt(String transport) throws Exception {
        try (TurnServer server = TestServers.loopback(clock).maxBps(10_000).build().start();
                BlockingClient alice = client(server, transport);
                Peer peer = new Peer()) {
            InetSocketAddress relayed = BlockingClient.relayed(alice.allocate());
            assertThat(alice.channelBind(CHANNEL, peer.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

            // Client → peer: 30 datagrams of 1000 bytes against a burst of 10 000 bytes.
            for (int i = 0; i < 30; i++) {
                alice.sendChannelData(CHANNEL, new byte[1000]);
            }
            MetricsSnapshot m = await(server, s -> s.relayed().packetsToPeer() + s.bandwidth().dropped().packetsToPeer() == 30);
            assertThat(m.relayed().packetsToPeer()).isEqualTo(10);
            assertThat(m.bandwidth().dropped().packetsToPeer()).isEqualTo(20);
            assertThat(m.bandwidth().dropped().bytesToPeer()).isEqualTo(20_000);
            assertThat(received(peer)).isEqualTo(10);

            // Peer → client, counted apart: its own burst.
            for (int i = 0; i < 30; i++) {
                peer.send(relayed, new byte[1000]);
            }
            m = await(server, s -> s.relayed().packetsToClient() + s.bandwidth().dropped().packetsToClient() == 30);
            assertThat(m.relayed().packetsToClient()).isEqualTo(10);
            assertThat(m.bandwidth().dropped().packetsToClient()).isEqualTo(20);

            // Half a second refills half the burst, and Send indications are held to it as ChannelData is.
            clock.advance(Duration.ofMillis(500));
            for (int i = 0; i < 10; i++) {
                alice.sendIndication(peer.address(), new byte[1000]);
            }
            m = await(server, s -> s.relayed().packetsToPeer() + s.bandwidth().dropped().packetsToPeer() == 40);
            assertThat(m.relayed().packetsToPeer()).isEqualTo(15);
            assertThat(m.dropped()).containsEntry("over_max_bps", 45L);

            StatusSnapshot.AllocationStatus status = server.status().allocations().get(0);
            assertThat(status.maxBps()).isEqualTo(10_000);
            assertThat(status.overRate()).isEqualTo(new MetricsSnapshot.Traffic(25, 25_000, 20, 20_000));
            assertThat(PrometheusText.format(server.metrics()))
                    .contains("turnlab_bandwidth_dropped_packets_total{direction=\"client_to_peer\"} 25\n")
                    .contains("turnlab_bandwidth_dropped_bytes_total{direction=\"peer_to_client\"} 20000\n")
                    .contains("turnlab_bandwidth_max_bytes_per_second 10000\n");
        }
    }

    @Test
    void aFloodBothWaysOnARealClockIsHeldToTheRateAndTheRestIsCounted() throws Exception {
        long rate = 20_000;
        int size = 500;
        try (TurnServer server = TestServers.loopback(Clock.systemUTC()).maxBps(rate).build().start();
                BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                Peer peer = new Peer()) {
            long start = System.nanoTime(); // before the allocation, whose buckets start full
            InetSocketAddress relayed = BlockingClient.relayed(alice.allocate());
            alice.channelBind(CHANNEL, peer.address());
            // At most 3000 datagrams (1.5 MB) or 1.5 s each way: far past 20 kB/s however slow the machine.
            long sent = 0;
            for (long end = System.nanoTime() + 1_500_000_000L; sent < 3000 && System.nanoTime() < end; sent++) {
                alice.sendChannelData(CHANNEL, new byte[size]);
                peer.send(relayed, new byte[size]);
                if (sent % 50 == 49) {
                    Thread.sleep(1); // let the one event loop read, as a real sender would pace itself
                }
            }
            long total = sent;
            // Every datagram relayed or dropped over the rate, unless the kernel dropped some (then 5 s pass).
            MetricsSnapshot m = await(server, s -> s.relayed().packetsToPeer() + s.bandwidth().dropped().packetsToPeer()
                    == total && s.relayed().packetsToClient() + s.bandwidth().dropped().packetsToClient() == total,
                    Duration.ofSeconds(5));
            double elapsed = (System.nanoTime() - start) / 1e9;
            // rate·t + burst, and 50 ms for the wall clock the server reads against the nanoTime read here.
            double bound = rate * (elapsed + 0.05) + rate;
            assertThat(m.bandwidth().dropped().packetsToPeer()).isPositive();
            assertThat(m.bandwidth().dropped().packetsToClient()).isPositive();
            assertThat((double) m.relayed().bytesToPeer()).isLessThanOrEqualTo(bound).isGreaterThanOrEqualTo(rate / 2.0);
            assertThat((double) m.relayed().bytesToClient()).isLessThanOrEqualTo(bound).isGreaterThanOrEqualTo(rate / 2.0);
            assertThat(m.bandwidth().dropped().bytesToPeer()).isEqualTo(m.bandwidth().dropped().packetsToPeer() * size);
        }
    }

    @Test
    void anAllocationThatDoesNotFitTheCapacityIs508AndDeletingOneMakesRoom() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).maxBps(1000).bpsCapacity(2500).build().start();
                BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient bob = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret");
                BlockingClient carol = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            assertThat(alice.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(bob.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            // 500 bytes per second are left: not all of a third allocation's 1000, so none of it (coturn would
            // grant the 500 as that allocation's limit).
            assertThat(isError(carol.allocate(), 508)).isTrue();
            assertThat(server.metrics().bandwidth().reserved()).isEqualTo(2000);
            assertThat(server.metrics().bandwidth().refusedAllocations()).isEqualTo(1);

            assertThat(alice.refresh(0).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(server.metrics().bandwidth().reserved()).isEqualTo(1000);
            assertThat(carol.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(server.metrics().bandwidth().reserved()).isEqualTo(2000);
        }
    }

    @Test
    void expiryGivesTheReservationBack() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).maxBps(1000).bpsCapacity(1000).build().start();
                BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient bob = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret")) {
            assertThat(alice.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(isError(bob.allocate(), 508)).isTrue();

            clock.advance(Duration.ofSeconds(601)); // past the default lifetime (RFC 8656 §6)
            server.sweepNow();
            assertThat(server.metrics().bandwidth().reserved()).isZero();
            assertThat(bob.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        }
    }

    @Test
    void aClosedTcpConnectionGivesTheReservationBack() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).maxBps(1000).bpsCapacity(1000).build().start();
                BlockingClient bob = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret")) {
            try (BlockingClient alice = BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret")) {
                assertThat(alice.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
                assertThat(isError(bob.allocate(), 508)).isTrue();
            }
            await(server, m -> m.bandwidth().reserved() == 0);
            assertThat(bob.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        }
    }

    @Test
    void withAnAlternateServerAnAllocationThatDoesNotFitIsRedirected() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).maxBps(1000).bpsCapacity(1000).alternateServer(ALTERNATE)
                .build().start();
                BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient bob = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret")) {
            alice.allocate();
            StunMessage redirected = bob.allocate();
            assertThat(isError(redirected, 300)).isTrue();
            assertThat(redirected.get(AlternateServer.class).address()).isEqualTo(ALTERNATE);
            assertThat(server.metrics().drain().redirects()).containsEntry("full", 1L);
            assertThat(server.metrics().bandwidth().reserved()).isEqualTo(1000);
        }
    }

    @Test
    void aCapacityNeedsAPerAllocationLimitThatFitsIt() {
        assertThatThrownBy(() -> TestServers.loopback(clock).bpsCapacity(1000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("bpsCapacity: 1000 needs maxBps");
        assertThatThrownBy(() -> TestServers.loopback(clock).maxBps(2000).bpsCapacity(1000).build())
                .hasMessageStartingWith("bpsCapacity: 1000 (expected: 0 or at least maxBps 2000");
        assertThatThrownBy(() -> TestServers.loopback(clock).maxBps(-1))
                .hasMessage("maxBps: -1 (expected: 0..1000000000000 bytes per second, 0 for no limit)");
        assertThatThrownBy(() -> TestServers.loopback(clock).bpsCapacity(-5)).hasMessageStartingWith("bpsCapacity: -5 ");
    }

    @Test
    void dropsAreLoggedAtDebugOncePerSweepNeverPerDatagram() throws Exception {
        Logger allocations = (Logger) LoggerFactory.getLogger("dev.turnlab.server.allocation");
        Level before = allocations.getLevel();
        allocations.setLevel(Level.DEBUG);
        try (TurnServer server = TestServers.loopback(clock).maxBps(1000).build().start();
                BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                Peer peer = new Peer()) {
            alice.allocate();
            alice.channelBind(CHANNEL, peer.address());
            for (int i = 0; i < 20; i++) {
                alice.sendChannelData(CHANNEL, new byte[500]);
            }
            await(server, s -> s.relayed().packetsToPeer() + s.bandwidth().dropped().packetsToPeer() == 20);
            server.sweepNow();
            server.sweepNow();

            // The periodic sweep may have reported part of them already: one line per sweep, 18 drops in all.
            List<String> lines = log.lines().stream().filter(l -> l.startsWith("TURN bandwidth limit:")).toList();
            assertThat(lines).hasSizeBetween(1, 2).allSatisfy(l -> assertThat(l).containsPattern(" id=[0-9a-f]{12} ")
                    .contains(" user=alice ", " max_bps=1000 ", " to_client_packets=0"));
            assertThat(lines.stream().mapToLong(BandwidthTest::droppedToPeer).sum()).isEqualTo(18);
        } finally {
            allocations.setLevel(before);
        }
    }

    private static long droppedToPeer(String line) {
        Matcher m = Pattern.compile(" to_peer_packets=(\\d+)").matcher(line);
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static BlockingClient client(TurnServer server, String transport) throws IOException {
        return transport.equals("udp") ? BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")
                : BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret");
    }

    /** Datagrams the peer receives until none comes for a while. */
    private static int received(Peer peer) throws IOException {
        int n = 0;
        while (peer.receive(300) != null) {
            n++;
        }
        return n;
    }

    private static MetricsSnapshot await(TurnServer server, Predicate<MetricsSnapshot> condition) throws InterruptedException {
        return await(server, condition, Duration.ofSeconds(10));
    }

    /** The metrics once {@code condition} holds, or the last ones after {@code timeout}. */
    private static MetricsSnapshot await(TurnServer server, Predicate<MetricsSnapshot> condition, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        MetricsSnapshot m = server.metrics();
        while (!condition.test(m) && System.nanoTime() < end) {
            Thread.sleep(20);
            m = server.metrics();
        }
        return m;
    }
}
