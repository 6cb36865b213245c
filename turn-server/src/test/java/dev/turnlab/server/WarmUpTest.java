package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.turnlab.codec.StunClass;
import dev.turnlab.server.admin.MetricsSnapshot;
import dev.turnlab.server.allocation.RangePortAllocator;
import dev.turnlab.server.allocation.RelayPortAllocator;
import dev.turnlab.testing.tools.CapturedLog;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The start-up warm-up runs the whole TURN exchange through the real handlers on private state: the server
 * it runs for starts with nothing allocated, counted, logged or bound, and serves as usual.
 */
class WarmUpTest {

    /** Far more than the few cycles below need: the warm-up stops on its cycle count here, not on time. */
    private static final Duration AMPLE = Duration.ofMinutes(1);

    private final MutableClock clock = MutableClock.now();
    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @Test
    void everyCycleGetsTheExpectedAnswersAndRelaysEveryDatagram() {
        WarmUp.Result r = WarmUp.run(TestServers.loopback(clock).build().config(), 25, AMPLE);

        assertThat(r.failure()).isNull();
        assertThat(r.cycles()).isEqualTo(25);
        assertThat(r.requests()).isEqualTo(25L * WarmUp.REQUESTS_PER_CYCLE);
        // ChannelData both ways, a Data indication and a Send indication per round.
        assertThat(r.datagrams()).isEqualTo(25L * WarmUp.DATAGRAMS_PER_CYCLE * 4);
    }

    @Test
    void worksUnderTheExpresswayProfileWithOnePeerAndOneRelayPort() {
        // One relay port: every cycle's allocation must give it back before the next one.
        TurnServerConfig config = TestServers.loopback(clock).profile(Profile.EXPRESSWAY).securityFeatures(false)
                .peerQuota(1).relayPorts(31000, 31000).build().config();

        WarmUp.Result r = WarmUp.run(config, 10, AMPLE);

        assertThat(r.failure()).isNull();
        assertThat(r.cycles()).isEqualTo(10);
    }

    @Test
    void writesNoEventLines() {
        WarmUp.run(TestServers.loopback(clock).build().config(), 5, AMPLE);

        assertThat(log.lines()).isEmpty();
    }

    @Test
    void aWarmedUpServerStartsUntouchedAndServes() throws Exception {
        CountingPorts ports = new CountingPorts(new RangePortAllocator(
                new PortRange(TestServers.RELAY_MIN, TestServers.RELAY_MAX)));
        try (TurnServer server = TestServers.loopback(clock).warmUp(true).relayPortAllocator(ports).build().start()) {
            assertThat(server.config().warmUp()).isTrue();
            assertThat(server.allocations()).isEmpty();
            MetricsSnapshot m = server.metrics();
            assertThat(m.allocationsCreated()).isZero();
            assertThat(m.allocationsDeleted().values()).allMatch(n -> n == 0);
            assertThat(m.requests().values()).allMatch(n -> n == 0);
            assertThat(m.authChallenges()).isZero();
            assertThat(m.errorResponses()).isEmpty();
            assertThat(m.dropped().values()).allMatch(n -> n == 0);
            assertThat(m.relayed()).isEqualTo(MetricsSnapshot.Traffic.NONE);
            assertThat(m.relayPortsInUse()).isZero();
            // The real relay port allocator was never asked: no relay socket was bound for the warm-up.
            assertThat(ports.acquired).hasValue(0);
            assertThat(server.udpAddresses()).hasSize(1);
            assertThat(log.lines()).filteredOn(l -> l.startsWith("TURN warm-up")).singleElement()
                    .satisfies(l -> assertThat(l).startsWith("TURN warm-up done in "));
            assertThat(log.lines()).noneMatch(l -> l.startsWith("TURN allocation") || l.startsWith("TURN request"));
            assertThat(log.linesAtLeast(Level.WARN)).isEmpty();

            try (BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
                assertThat(client.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            }
            assertThat(server.allocations()).hasSize(1);
            assertThat(server.metrics().allocationsCreated()).isEqualTo(1);
            assertThat(ports.acquired).hasValue(1);
        }
    }

    @Test
    void offByDefaultInTheBuilder() {
        assertThat(TestServers.loopback(clock).build().config().warmUp()).isFalse();
    }


    /** The server's relay port allocator, counting the ports taken from it. */
    private static final class CountingPorts implements RelayPortAllocator {
        private final RelayPortAllocator delegate;
        final AtomicInteger acquired = new AtomicInteger();

        CountingPorts(RelayPortAllocator delegate) {
            this.delegate = delegate;
        }

        @Override
        public int acquire(boolean even) {
            acquired.incrementAndGet();
            return delegate.acquire(even);
        }

        @Override
        public boolean acquire(int port) {
            acquired.incrementAndGet();
            return delegate.acquire(port);
        }

        @Override
        public void release(int port) {
            delegate.release(port);
        }

        @Override
        public int available() {
            return delegate.available();
        }
    }
}
