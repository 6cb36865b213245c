package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.isError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.AttributeType;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.server.fault.Fault;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code answer=CODE} and {@code stale-nonce} over UDP on loopback: the error comes where a real server
 * would produce it, with the attributes a client needs to react (a fresh challenge for 401, 431 and 438;
 * integrity for refusals of an authenticated request), and Allocate succeeds again once the fault is off.
 */
class AllocateFaultsTest {

    private final MutableClock clock = MutableClock.now();
    private TurnServer server;
    private BlockingClient client;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.loopback(clock).build().start();
        client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    @Test
    void answer431RefusesTheSignedAllocateAsAWrongPasswordWould() throws Exception {
        server.faults().switchOn("answer=431", "test");
        StunMessage response = client.allocate();
        assertThat(response.get(ErrorCode.class)).isEqualTo(ErrorCode.INTEGRITY_CHECK_FAILURE);
        assertThat(response.get(ErrorCode.class).reason()).isEqualTo("Integrity Check Failure");
        assertThat(response.get(Realm.class).value()).isEqualTo("turnlab");
        assertThat(response.get(Nonce.class)).isNotNull();
        assertThat(response.has(AttributeType.MESSAGE_INTEGRITY)).isFalse();

        server.faults().switchOff(Fault.ANSWER, "test");
        assertThat(client.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    @Test
    void answer401ChallengesEveryAllocateSignedOrNot() throws Exception {
        server.faults().switchOn("answer=401", "test");
        StunMessage unsigned = client.exchange(StunMessage.request(Method.ALLOCATE).add(RequestedTransport.UDP).build());
        assertThat(isError(unsigned, 401)).isTrue();
        client.learn(unsigned);
        StunMessage signed = client.exchange(client.signed(Method.ALLOCATE, RequestedTransport.UDP));
        assertThat(signed.get(ErrorCode.class)).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(signed.get(Nonce.class)).isNotNull();
        assertThat(signed.get(Realm.class).value()).isEqualTo("turnlab");
        // Binding needs no credentials and is not an Allocate: answered as ever.
        assertThat(client.exchange(StunMessage.request(Method.BINDING).build()).stunClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    @Test
    void answer486RefusesTheAuthenticatedAllocateWithIntegrity() throws Exception {
        server.faults().switchOn("answer=486", "test");
        StunMessage response = client.allocate();
        assertThat(response.get(ErrorCode.class)).isEqualTo(ErrorCode.ALLOCATION_QUOTA_REACHED);
        assertThat(response.verifyIntegrity(BlockingClient.key("alice", "turnlab", "alice-secret"))).isTrue();
        assertThat(server.allocations()).isEmpty();
    }

    @Test
    void answer508AndAChangeOfCodeWhileOn() throws Exception {
        server.faults().switchOn("answer=508", "test");
        assertThat(client.allocate().get(ErrorCode.class)).isEqualTo(ErrorCode.INSUFFICIENT_CAPACITY);
        server.faults().switchOn("answer=403", "test");
        assertThat(client.allocate().get(ErrorCode.class)).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void staleNonceAnswersEveryNonceWith438AndAFreshOneSoTheClientLoops() throws Exception {
        assertThat(client.refresh(600)).satisfies(r -> assertThat(isError(r, 437)).isTrue()); // learns a nonce
        server.faults().switchOn("stale-nonce", "test");
        // turn-client retries three times in a row, each time with the fresh nonce of the last 438, which is
        // as valid as nonces get, and gets 438 every time: four 438s for one Allocate.
        StunMessage response = client.allocate();
        assertThat(response.get(ErrorCode.class)).isEqualTo(ErrorCode.STALE_NONCE);
        assertThat(response.get(Realm.class).value()).isEqualTo("turnlab");
        assertThat(response.get(Nonce.class)).isNotNull();
        assertThat(server.metrics().authFailures().get("stale_nonce")).isEqualTo(4);

        server.faults().switchOff(Fault.STALE_NONCE, "test");
        assertThat(client.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    }
}
