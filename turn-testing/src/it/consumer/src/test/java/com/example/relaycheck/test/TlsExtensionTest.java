package com.example.relaycheck.test;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnResult;
import dev.turnlab.testing.TurnServerExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TLS listener with a generated certificate: Bouncy Castle is optional to dev.turnlab.server, and
 * dev.turnlab.testing brings it into the module graph.
 */
class TlsExtensionTest {

    @RegisterExtension
    static TurnServerExtension turn = TurnServerExtension.builder().tls().build();

    @Test
    void allocatesOverTls() throws Exception {
        TurnResult<Allocation> allocated = turn.client(Transport.TLS).allocate().get(20, TimeUnit.SECONDS);

        assertTrue(allocated.isSuccess(), allocated::toString);
    }
}
