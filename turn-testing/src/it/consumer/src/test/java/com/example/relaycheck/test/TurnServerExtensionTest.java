package com.example.relaycheck.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.relaycheck.RelayCheck;
import dev.turnlab.client.Allocation;
import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.TurnResult;
import dev.turnlab.server.Profile;
import dev.turnlab.server.admin.MetricsSnapshot;
import dev.turnlab.testing.TurnServerExtension;
import dev.turnlab.testing.tools.Peer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** turn-testing's extension as a user registers it, with what a test reads from the running server. */
class TurnServerExtensionTest {

    @RegisterExtension
    static TurnServerExtension turn = TurnServerExtension.builder()
            .profile(Profile.EXPRESSWAY)
            .user("expturncreds", "secret")
            .build();

    @Test
    void handsOutAReadyClient() throws Exception {
        TurnClient client = turn.client(Transport.UDP);
        TurnResult<Allocation> allocated = client.allocate().get(20, TimeUnit.SECONDS);
        assertTrue(allocated.isSuccess(), allocated::toString);

        try (Peer peer = new Peer()) {
            assertTrue(client.createPermission(peer.address().getAddress()).get(20, TimeUnit.SECONDS).isSuccess());
            client.send(peer.address(), "hello".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
            Peer.Received received = peer.receive(20_000);

            assertEquals(allocated.value().relayedAddress().getPort(), received.sender().getPort());
            assertEquals("hello", new String(received.data(), StandardCharsets.UTF_8));
        }
        // What the server shows comes from its exported packages (allocation, handler, admin, fault).
        assertTrue(turn.server().allocations().stream()
                .anyMatch(a -> a.relayedAddress().getPort() == allocated.value().relayedAddress().getPort()));
        assertTrue(turn.server().counters().allocationsCreatedCount() >= 1);
        MetricsSnapshot metrics = turn.server().metrics();
        assertTrue(metrics.allocationsActive() >= 1);
        assertTrue(turn.server().faults().current().toString().length() > 0);
    }

    @Test
    void checksTheExtensionsServer() throws Exception {
        RelayCheck.Result result = RelayCheck.run(turn.udpAddress(), turn.username(), turn.password());

        assertEquals("hello through the relay", result.received());
        assertEquals("TANDBERG", turn.realm());
    }
}
