package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.StunClass;
import dev.turnlab.server.allocation.Deletion;
import dev.turnlab.server.ServerCounters;
import dev.turnlab.testing.tools.CapturedLog;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every way an allocation ends is counted under its cause's metric label and logged with its reason, from the
 * place where it happens: nothing is classified by the text of a reason any more.
 */
class AllocationDeletionTest {

    private final MutableClock clock = MutableClock.now();
    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @Test
    void theLabelsAreTheOnesTheMetricsAndTheReadmeName() {
        assertThat(ServerCounters.DELETIONS).containsExactly("expired", "refresh", "connection_closed", "server_closed",
                "admin");
    }

    @Test
    void aRefreshWithLifetimeZeroIsARefreshDeletion() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start();
                BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            alice.allocate();
            assertThat(alice.refresh(0).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

            assertDeletedOnce(server, Deletion.REFRESH, "reason=\"refresh with lifetime 0\" ");
        }
    }

    @Test
    void anAllocationPastItsLifetimeIsAnExpiredDeletion() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start();
                BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            alice.allocate();
            // RFC 8656 §6: the default lifetime is 600 s; the sweep or the next request finds it passed.
            clock.advance(Duration.ofSeconds(601));
            assertThat(BlockingClient.isError(alice.refresh(600), 437)).isTrue();

            assertDeletedOnce(server, Deletion.EXPIRED, "reason=expired ");
        }
    }

    @Test
    void aClosedTcpConnectionIsAConnectionClosedDeletion() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start()) {
            try (BlockingClient tcp = BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret")) {
                assertThat(tcp.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            }

            assertDeletedOnce(server, Deletion.CONNECTION_CLOSED, "reason=\"connection closed\" ");
        }
    }

    @Test
    void theServerClosingIsAServerClosedDeletion() throws Exception {
        TurnServer server = TestServers.loopback(clock).build().start();
        try (BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            alice.allocate();
        } finally {
            server.close();
        }

        assertDeletedOnce(server, Deletion.SERVER_CLOSED, "reason=\"server closed\" ");
    }

    /**
     * Waits (at most 10 s) for the log line of the deletion, which is written after it is counted, then checks
     * the line and that this cause alone was counted, once.
     */
    private void assertDeletedOnce(TurnServer server, Deletion why, String logged) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (deletionLines().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(deletionLines()).singleElement().asString().contains(logged);
        Map<String, Long> counts = server.counters().deletionCounts();
        for (Deletion d : Deletion.values()) {
            assertThat(counts.get(d.label())).as(d.label()).isEqualTo(d == why ? 1 : 0);
        }
    }

    private List<String> deletionLines() {
        return log.lines().stream().filter(l -> l.startsWith("TURN allocation deleted ")).toList();
    }
}
