package dev.turnlab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnlab.benchmarks.load.LoadConfig.Mode;
import dev.turnlab.benchmarks.load.LoadConfig.Transport;
import dev.turnlab.testing.tools.Coturn;
import dev.turnlab.testing.tools.FreePorts;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** turn-load against coturn's real turnserver on loopback: short, small runs that must all come back. */
@Timeout(120)
class CoturnLoadTest {

    private static final String USER = "loaduser";
    private static final String PASSWORD = "loadpass";
    private static final String REALM = "turnlab.test";

    private static Coturn coturn;

    @BeforeAll
    static void startCoturn() throws Exception {
        assumeTrue(Coturn.available(), Coturn.MISSING);
        coturn = Coturn.builder().user(USER, PASSWORD).realm(REALM).relayPorts(FreePorts.udpBlock(200)).start();
    }

    @AfterAll
    static void stopCoturn() throws InterruptedException {
        if (coturn != null) {
            coturn.close();
        }
    }

    private static LoadConfig config(Transport transport, Mode mode, String password, int rate) {
        return config(transport, mode, password, rate, Duration.ofSeconds(240));
    }

    private static LoadConfig config(Transport transport, Mode mode, String password, int rate, Duration refresh) {
        return config(transport, mode, password, rate, refresh, 160);
    }

    private static LoadConfig config(Transport transport, Mode mode, String password, int rate, Duration refresh,
            int payload) {
        return new LoadConfig(coturn.address(), USER, password, null, transport, 2, payload, rate,
                Duration.ofSeconds(2), Duration.ofMillis(500), mode, null, 16, 2, 64, Duration.ofSeconds(20), refresh, 2);
    }

    private static LoadReport run(LoadConfig config) throws InterruptedException {
        return new LoadRun(config, null).run();
    }

    private static void assertEchoed(LoadReport report) {
        assertThat(report.failures()).isEmpty();
        assertThat(report.ready()).isEqualTo(2);
        assertThat(report.message()).isNull();
        assertThat(report.tally().sent()).isPositive();
        assertThat(report.tally().received()).isPositive();
        assertThat(report.packetsPerSecond()).isPositive();
        assertThat(report.tally().corrupt()).isZero();
        assertThat(report.tally().malformed()).isZero();
        assertThat(report.tally().rtt().getTotalCount()).isEqualTo(report.tally().received());
        assertThat(report.tally().rtt().getValueAtPercentile(50)).isPositive()
                .isLessThanOrEqualTo(report.tally().rtt().getMaxValue());
        assertThat(report.cpuPercent()).isPositive();
    }

    @Test
    void udpChannelsEchoEveryPacingTick() throws InterruptedException {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        LoadReport report = new LoadRun(config(Transport.UDP, Mode.CHANNEL, PASSWORD, 50),
                new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
        assertEchoed(report);
        // 2.5 s of sending: a progress line each second, rewritten in place.
        assertThat(progress.toString(StandardCharsets.UTF_8)).startsWith("\r").contains("echoed/s", "in flight")
                .endsWith(System.lineSeparator());
        // 2 sessions x 50 pps x 2 s = 200: paced, not flat out (which would be thousands). Give or take a few
        // ticks at each edge of the window, which a loaded machine's scheduler moves (210 seen at load 20).
        assertThat(report.tally().sent()).isBetween(180L, 220L);
        assertThat(report.text()).contains("2 ready, 0 failed", "loss");
    }

    @Test
    void udpSendIndicationsComeBackAsDataIndications() throws InterruptedException {
        assertEchoed(run(config(Transport.UDP, Mode.SEND_INDICATION, PASSWORD, 50)));
    }

    @Test
    void tcpChannelsArePaddedAndFramedOnTheStream() throws InterruptedException {
        assertEchoed(run(config(Transport.TCP, Mode.CHANNEL, PASSWORD, 50)));
    }

    @Test
    void tcpSendIndicationsComeBackAsDataIndicationsOnTheStream() throws InterruptedException {
        assertEchoed(run(config(Transport.TCP, Mode.SEND_INDICATION, PASSWORD, 50)));
    }

    @Test
    void theClosedLoopKeepsItsWindowFull() throws InterruptedException {
        LoadReport report = run(config(Transport.UDP, Mode.CHANNEL, PASSWORD, LoadConfig.MAX_RATE));
        assertEchoed(report);
        assertThat(report.json()).contains("\"ratePerSession\":\"max\"", "\"setupFailures\":{}");
    }

    @Test
    void aRunLongerThanTheRefreshIntervalRefreshesAllocationAndPermission() throws InterruptedException {
        Duration refresh = Duration.ofSeconds(1);
        LoadReport report = run(config(Transport.UDP, Mode.SEND_INDICATION, PASSWORD, 50, refresh));
        assertEchoed(report);
        // 2.5 s of sending, a refresh each second: at least one per session, none refused.
        assertThat(report.tally().refreshes()).isGreaterThanOrEqualTo(2);
        assertThat(report.tally().refreshFailures()).isZero();
        assertThat(report.text()).contains("refresh ");
    }

    @Test
    void payloadsLargerThanAnMtuComeBackWhole() throws InterruptedException {
        for (Mode mode : Mode.values()) {
            LoadReport report = run(config(Transport.UDP, mode, PASSWORD, 20, Duration.ofSeconds(240), 8000));
            assertEchoed(report);
        }
    }

    @Test
    void anExternalPeerIsUsedInsteadOfTheBuiltInOne() throws Exception {
        NettyTransport io = NettyTransport.best();
        EventLoopGroup group = io.group(1);
        try (EchoPeer external = EchoPeer.start(group, io, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                2048)) {
            LoadConfig base = config(Transport.UDP, Mode.CHANNEL, PASSWORD, 50);
            LoadReport report = run(new LoadConfig(base.server(), base.user(), base.password(), REALM,
                    base.transport(), base.sessions(), base.payload(), base.ratePerSession(), base.duration(),
                    base.warmup(), base.mode(), external.address(), base.window(), base.threads(),
                    base.setupConcurrency(), base.setupTimeout(), base.refreshInterval(), base.rehearsal()));
            assertEchoed(report);
            assertThat(report.peer()).isEqualTo("127.0.0.1:" + external.address().getPort());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void theNioFallbackRelaysOverUdpAndTcp() throws InterruptedException {
        for (Transport transport : Transport.values()) {
            LoadReport report = new LoadRun(config(transport, Mode.CHANNEL, PASSWORD, 50), null,
                    NettyTransport.nio()).run();
            assertEchoed(report);
            assertThat(report.io()).isEqualTo("nio");
        }
    }

    @Test
    void aShortRunDoesNotRefresh() throws InterruptedException {
        LoadReport report = run(config(Transport.UDP, Mode.CHANNEL, PASSWORD, 50));
        assertThat(report.tally().refreshes()).isZero();
        assertThat(report.json()).contains("\"refreshes\":0,\"refreshFailures\":0");
    }

    @Test
    void aWrongPasswordIsCountedUnder401AndExplained() throws InterruptedException {
        LoadReport report = run(config(Transport.UDP, Mode.CHANNEL, "not-the-password", 50));
        assertThat(report.ready()).isZero();
        assertThat(report.failures()).containsExactly(java.util.Map.entry("401", 2));
        assertThat(report.message()).contains("2 of 2 sessions failed", "--password");
        assertThat(report.tally().sent()).isZero();
        assertThat(report.json()).contains("\"setupFailures\":{\"401\":2}");
    }
}
