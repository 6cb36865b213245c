package com.example.relaycheck.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.relaycheck.EmbeddedRelay;
import com.example.relaycheck.RelayCheck;
import dev.turnlab.client.TurnClient;
import dev.turnlab.server.PortRange;
import dev.turnlab.server.TurnServer;
import dev.turnlab.testing.TurnServerExtension;
import dev.turnlab.testing.tools.FreePorts;
import org.junit.jupiter.api.Test;

/** The application's own embedded server, checked by the application's own check, all on the module path. */
class EmbeddedRelayTest {

    @Test
    void runsOnTheModulePath() {
        assertEquals("com.example.relaycheck.test", getClass().getModule().getName());
        assertEquals("dev.turnlab.server", TurnServer.class.getModule().getName());
        assertEquals("dev.turnlab.client", TurnClient.class.getModule().getName());
        assertEquals("dev.turnlab.testing", TurnServerExtension.class.getModule().getName());
        assertEquals("dev.turnlab.testing.tools", FreePorts.class.getModule().getName());
        assertEquals("dev.turnlab.codec", TurnServer.class.getModule().getLayer()
                .findModule("dev.turnlab.codec").orElseThrow().getName());
    }

    @Test
    void relaysADatagramToALoopbackPeer() throws Exception {
        FreePorts.Block block = FreePorts.udpBlock(8);
        try (TurnServer server = EmbeddedRelay.start("bob", "bob-secret", new PortRange(block.min(), block.max()))) {
            RelayCheck.Result result = RelayCheck.run(server.udpAddress(), "bob", "bob-secret");

            assertEquals("hello through the relay", result.received());
            assertEquals(result.relayedAddress().getPort(), result.sender().getPort());
            assertTrue(server.config().relay().ports().contains(result.sender().getPort()));
            assertEquals(1, server.counters().allocationsCreatedCount());
        }
    }
}
