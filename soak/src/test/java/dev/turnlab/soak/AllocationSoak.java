package dev.turnlab.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.Transport;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@value Soak#ALLOCATIONS}-odd allocations over UDP kept alive with refreshes (RFC 8656 §8) for a while, then
 * released: the server ends where it started, after one round of the same load that brings its JIT, pools and
 * tables to their working size. Heap after GC, resident memory, open files and relay ports are compared.
 */
class AllocationSoak {

    private static final String USER = "soak";
    private static final String PASSWORD = "soak-password";
    private static final Duration REFRESH_EVERY = Duration.ofSeconds(15);

    @Test
    @Timeout(value = 4, unit = java.util.concurrent.TimeUnit.HOURS)
    void allocationsKeptAliveThenReleasedLeaveTheServerAsItWas() throws Exception {
        int n = Soak.ALLOCATIONS;
        // Relay ports below Linux's ephemeral range (32768-60999): there the soak's own client sockets would take
        // ports the server then fails to bind, which QuotaChurnSoak looks at on its own.
        try (ServerProcess server = ServerProcess.start("--user", USER + ":" + PASSWORD, "--relay-ports",
                "10000-" + (10000 + n + 999), "--allow-loopback-peers")) {
            round(server, Math.min(n, 1000), Duration.ZERO);
            Footprint start = server.footprint();
            Soak.report("allocation soak start", start);

            round(server, n, Soak.KEEP_ALIVE);

            Soak.await(Duration.ofSeconds(60), () -> server.metric("turnlab_relay_ports_in_use") == start.relayPortsInUse());
            Footprint end = server.footprint();
            Soak.report("allocation soak end", end);
            assertThat(end.departuresFrom(start)).as("allocation soak: %s -> %s", start, end).isEmpty();
        }
    }

    /** Allocates {@code n}, keeps them for {@code keep} refreshing them, and releases them. */
    private static void round(ServerProcess server, int n, Duration keep) throws Exception {
        try (Clients clients = new Clients(server.address(), Transport.UDP)) {
            long t0 = System.nanoTime();
            Map<String, Integer> allocated = clients.allocate(n, USER, PASSWORD);
            Soak.report(n + " allocations", allocated + " in " + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
            assertThat(allocated).containsExactly(Map.entry("ok", n));
            assertThat(server.metric("turnlab_relay_ports_in_use")).isGreaterThanOrEqualTo(n);
            long deadline = System.nanoTime() + keep.toNanos();
            while (System.nanoTime() - deadline < 0) {
                Thread.sleep(Math.min(REFRESH_EVERY.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                Map<String, Integer> refreshed = clients.refresh(Duration.ofMinutes(10));
                Soak.report("refresh", refreshed);
                assertThat(refreshed).containsExactly(Map.entry("ok", n));
            }
            if (!keep.isZero()) {
                Soak.report("kept alive", server.footprint());
            }
        }
    }
}
