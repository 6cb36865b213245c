package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.TurnClient;
import dev.turnlab.client.TurnResult;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --drain-grace} in a real process: the first SIGTERM drains (new allocations refused with 508, there
 * being no alternate; existing ones live on) and the server stops once the last allocation has ended; a
 * second SIGTERM stops it at once.
 */
class DrainGraceTest {

    private ServerProcess server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sigtermDrainsAndStopsWhenTheLastAllocationHasEnded() throws Exception {
        InetSocketAddress listener = start();
        TurnClient staying = client(listener);
        try (TurnClient newcomer = client(listener)) {
            assertThat(staying.allocate().join().isSuccess()).isTrue();

            server.process().toHandle().destroy(); // SIGTERM
            server.awaitOutput("SIGTERM: draining for up to 1m with 1 allocations");

            TurnResult<?> refused = newcomer.allocate().join();
            assertThat(refused.error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(508));
            assertThat(staying.refresh(Duration.ofMinutes(5)).join().isSuccess()).isTrue();
            assertThat(server.process().isAlive()).isTrue();
        }
        staying.close(); // Refresh with LIFETIME 0: the last allocation ends
        assertThat(server.exited()).as("exited; output:%n%s", server.output()).isTrue();
        assertThat(server.process().exitValue()).isZero();
        assertThat(server.output()).contains("draining started: new allocations are refused with 508")
                .contains("draining done: no allocation left, stopping").contains("TURN server stopped");
    }

    @Test
    void aSecondSigtermStopsAtOnce() throws Exception {
        InetSocketAddress listener = start();
        try (TurnClient staying = client(listener)) {
            assertThat(staying.allocate().join().isSuccess()).isTrue();
            server.process().toHandle().destroy();
            server.awaitOutput("SIGTERM: draining");
            server.process().toHandle().destroy();
            assertThat(server.exited()).as("exited; output:%n%s", server.output()).isTrue();
        }
        assertThat(server.output()).contains("SIGTERM again: stopping now with 1 allocations")
                .doesNotContain("draining done");
    }

    private InetSocketAddress start() throws Exception {
        server = ServerProcess.start("--no-tls", "--no-tcp", "--user", "alice:alice-secret", "--drain-grace", "1m");
        return server.udpAddress();
    }

    private static TurnClient client(InetSocketAddress server) {
        return TurnClient.builder().server(server).credentials("alice", "alice-secret").build();
    }
}
