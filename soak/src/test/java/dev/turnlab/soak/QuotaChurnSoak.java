package dev.turnlab.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.Transport;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Allocation churn at the quotas (RFC 8656 §7.2 rule 8): users allocate until 486 Allocation Quota Reached
 * and the server until 508 Insufficient Capacity, all are released, again and again; and relay ports that
 * another process holds, so that binds fail. Every round must end with the relay ports and allocations back at
 * zero, and the last with the server's footprint where it started.
 */
class QuotaChurnSoak {

    private static final String PASSWORD = "churn-password";
    private static final int USER_QUOTA = 20;
    private static final int TOTAL_QUOTA = 50;

    @Test
    @Timeout(value = 1, unit = java.util.concurrent.TimeUnit.HOURS)
    void allocatingToTheQuotasAndReleasingAgainLeavesNothing() throws Exception {
        try (ServerProcess server = ServerProcess.start("--relay-ports", "21000-21199", "--user-quota", "" + USER_QUOTA,
                "--total-quota", "" + TOTAL_QUOTA, "--user", "churn0:" + PASSWORD, "--user", "churn1:" + PASSWORD,
                "--user", "churn2:" + PASSWORD)) {
            cycle(server);
            Footprint start = server.footprint();
            Soak.report("quota churn start", start);
            for (int i = 1; i < Soak.CHURN_CYCLES; i++) {
                cycle(server);
            }
            Footprint end = server.footprint();
            Soak.report("quota churn end", end);
            assertThat(end.departuresFrom(start)).as("quota churn: %s -> %s", start, end).isEmpty();
        }
    }

    /** Two users to their quota and one more each (486), a third to the server's (508); all released. */
    private static void cycle(ServerProcess server) throws Exception {
        try (Clients clients = new Clients(server.address(), Transport.UDP)) {
            assertThat(clients.allocate(USER_QUOTA + 1, "churn0", PASSWORD)).containsOnly(
                    Map.entry("ok", USER_QUOTA), Map.entry("486", 1));
            assertThat(clients.allocate(USER_QUOTA + 1, "churn1", PASSWORD)).containsOnly(
                    Map.entry("ok", USER_QUOTA), Map.entry("486", 1));
            int rest = TOTAL_QUOTA - 2 * USER_QUOTA;
            assertThat(clients.allocate(rest + 1, "churn2", PASSWORD)).containsOnly(Map.entry("ok", rest), Map.entry("508", 1));
        }
        assertThat(Soak.await(Duration.ofSeconds(30), () -> server.metric("turnlab_relay_ports_in_use") == 0
                && server.metric("turnlab_allocations_active") == 0)).as("ports and allocations back to 0").isTrue();
    }

    @Test
    @Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
    void relayPortsThatFailedToBindAreFreeOnceTheOtherProcessLetsGo() throws Exception {
        int first = 21300;
        int size = 40;
        try (ServerProcess server = ServerProcess.start("--relay-ports", first + "-" + (first + size - 1),
                "--user", "binder:" + PASSWORD)) {
            List<DatagramSocket> held = new ArrayList<>();
            try {
                // Another process holds half of the range, so some of the server's binds fail.
                for (int port = first; port < first + size; port += 2) {
                    held.add(new DatagramSocket(new InetSocketAddress("127.0.0.1", port)));
                }
                try (Clients clients = new Clients(server.address(), Transport.UDP)) {
                    Soak.report("allocations with half the relay ports held elsewhere",
                            clients.allocate(size / 4, "binder", PASSWORD));
                }
            } finally {
                held.forEach(DatagramSocket::close);
            }
            boolean drained = Soak.await(Duration.ofSeconds(30), () -> server.metric("turnlab_relay_ports_in_use") == 0);
            Soak.report("relay ports in use once released", server.metric("turnlab_relay_ports_in_use"));
            Map<String, Integer> whole;
            try (Clients clients = new Clients(server.address(), Transport.UDP)) {
                whole = clients.allocate(size, "binder", PASSWORD);
            }
            Soak.report("allocations of the whole range afterwards", whole);
            assertThat(drained).as("relay ports in use back to 0 after failed binds").isTrue();
            assertThat(whole).as("the whole range allocates again").containsExactly(Map.entry("ok", size));
        }
    }
}
