package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.isError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * A request captured within its nonce's lifetime cannot be replayed against a later allocation of the
 * same 5-tuple (RFC 8656 §21, RFC 8489 §9.2): nonces are bound to the 5-tuple's generation.
 */
class ReplayTest {

    private final MutableClock clock = MutableClock.now();

    @Test
    void aCapturedDeallocationDoesNotDeleteTheNextAllocationOfTheSameFiveTuple() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            assertThat(client.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            StunMessage deallocate = client.signed(Method.REFRESH, Lifetime.ofSeconds(0));
            byte[] captured = BlockingClient.encode(deallocate);
            assertThat(client.exchange(deallocate).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(server.allocations()).isEmpty();

            // The owner allocates again on the same 5-tuple (its old nonce is stale now: one 438, then success).
            assertThat(client.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(server.allocations()).hasSize(1);

            client.sendRaw(captured);
            StunMessage answer = BlockingClient.decode(client.receiveRaw(3000));

            assertThat(isError(answer, 438)).as("replayed Refresh answered %s", answer).isTrue();
            assertThat(server.allocations()).hasSize(1);
            assertThat(client.refresh(600).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        }
    }
}
