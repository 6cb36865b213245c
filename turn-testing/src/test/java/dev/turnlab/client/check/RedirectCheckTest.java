package dev.turnlab.client.check;

import static dev.turnlab.testing.LoopbackServers.PASSWORD;
import static dev.turnlab.testing.LoopbackServers.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.TurnResult;
import dev.turnlab.server.TurnServer;
import dev.turnlab.testing.LoopbackServers;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 300 Try Alternate between two of our servers on loopback (RFC 8489 §10): {@code TurnClient} follows it and
 * ends up allocated on the alternate; turn-check says where it was sent, in words an administrator can act on.
 */
class RedirectCheckTest {

    private static final CheckOptions CHECK = CheckOptions.DEFAULTS.withCredentials(USER, PASSWORD)
            .withTimeout(Duration.ofSeconds(1)).withProbes(1);

    @Test
    void turnClientFollowsAFullServerToItsAlternate() {
        try (TurnServer alternate = LoopbackServers.standard().build().start();
                TurnServer full = LoopbackServers.standard().totalQuota(1).alternateServer(alternate.udpAddress())
                        .build().start();
                TurnClient holder = client(full.udpAddress());
                TurnClient redirected = client(full.udpAddress())) {
            assertThat(holder.allocate().join().isSuccess()).isTrue();

            TurnResult<Allocation> result = redirected.allocate().join();

            assertThat(result.isSuccess()).isTrue();
            assertThat(redirected.server()).isEqualTo(alternate.udpAddress());
            assertThat(alternate.allocations()).hasSize(1);
            assertThat(full.allocations()).hasSize(1);
            assertThat(full.metrics().drain().redirects()).containsEntry("full", 1L);
            assertThat(redirected.refresh(Duration.ofMinutes(1)).join().isSuccess()).as("refreshed on the alternate")
                    .isTrue();
        }
    }

    @Test
    void turnCheckSaysADrainingServerRedirectedItAndTheAlternateAllocated() {
        try (TurnServer alternate = LoopbackServers.standard().build().start();
                TurnServer draining = LoopbackServers.standard().alternateServer(alternate.udpAddress()).build().start()) {
            draining.drain(true);

            ServerReport r = TurnCheck.run(TurnCheckTest.at(draining.udpAddress()), CHECK);

            String to = "127.0.0.1:" + alternate.udpAddress().getPort();
            assertThat(r.allocation().status()).isEqualTo(ServerReport.AllocationCheck.Status.ALLOCATED);
            assertThat(r.allocation().detail()).isEqualTo("server redirected to " + to + " (300 Try Alternate)");
            assertThat(r.findings()).singleElement().satisfies(f -> {
                assertThat(f.code()).isEqualTo("allocation-redirected");
                assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
            });
            assertThat(r.exitCode()).isZero();
            assertThat(ReportFormat.TEXT.format(List.of(r)))
                    .contains("; server redirected to " + to + " (300 Try Alternate)");
            assertThat(alternate.allocations()).as("the check releases its allocation on the alternate").isEmpty();
        }
    }

    @Test
    void anAlternateThatRedirectsAgainIsNotFollowedAndSaidSo() {
        try (TurnServer second = LoopbackServers.standard().build().start();
                TurnServer first = LoopbackServers.standard().alternateServer(second.udpAddress()).build().start()) {
            // Two draining servers pointing at each other: a client follows one redirect, not a loop.
            TurnServer loop = LoopbackServers.standard().alternateServer(first.udpAddress()).build().start();
            try (loop) {
                first.drain(true);
                loop.drain(true);
                ServerReport r = TurnCheck.run(TurnCheckTest.at(loop.udpAddress()), CHECK);

                assertThat(r.allocation().status()).isEqualTo(ServerReport.AllocationCheck.Status.REFUSED);
                assertThat(r.allocation().error().code()).isEqualTo(300);
                assertThat(r.allocation().detail()).isEqualTo("server redirected to 127.0.0.1:"
                        + first.udpAddress().getPort() + " (300 Try Alternate), which redirected again to 127.0.0.1:"
                        + second.udpAddress().getPort() + " (not followed: one redirect only)");
                assertThat(r.findings()).singleElement().satisfies(f -> assertThat(f.code()).isEqualTo("allocation-redirected"));
                assertThat(r.exitCode()).isEqualTo(ExitCodes.ALLOCATION_REFUSED);
            }
        }
    }

    private static TurnClient client(InetSocketAddress server) {
        return TurnClient.builder().server(server).credentials(USER, PASSWORD).build();
    }
}
