package dev.turnlab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.TurnResult;
import dev.turnlab.server.Profile;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the extension does at each JUnit callback, driven by hand (the callbacks read nothing from the context). */
class TurnServerExtensionLifecycleTest {

    @Test
    void afterAllClosesTheClientsAndStopsTheServer() throws Exception {
        TurnServerExtension turn = TurnServerExtension.builder().build();
        turn.beforeAll(null);
        InetSocketAddress udp = turn.udpAddress();
        TurnClient client = turn.client(Transport.UDP);
        assertThat(client.allocate().get(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(turn.server().allocations()).hasSize(1);

        turn.afterAll(null);

        assertClosed(client);
        assertThatThrownBy(turn::udpAddress).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not running");
        try (DatagramSocket rebound = new DatagramSocket(udp)) {
            assertThat(rebound.getLocalSocketAddress()).as("the listening port is released").isEqualTo(udp);
        }
    }

    @Test
    void clientsOfATestAreClosedAfterItAndTheServerKeepsRunning() throws Exception {
        TurnServerExtension turn = TurnServerExtension.builder().build();
        turn.beforeAll(null);
        try {
            turn.beforeEach(null);
            TurnClient client = turn.client(Transport.TCP);
            assertThat(client.allocate().get(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            turn.afterEach(null);

            assertClosed(client);
            TurnClient next = turn.client(Transport.UDP);
            assertThat(next.binding().get(10, TimeUnit.SECONDS).isSuccess()).as("server still up").isTrue();
        } finally {
            turn.afterAll(null);
        }
    }

    @Test
    void theEndOfANestedClassLeavesTheServerToItsOuterClass() {
        TurnServerExtension turn = TurnServerExtension.builder().build();
        turn.beforeAll(null);
        InetSocketAddress udp = turn.udpAddress();
        turn.beforeAll(null);
        turn.afterAll(null);

        assertThat(turn.udpAddress()).as("the same server").isEqualTo(udp);
        turn.afterAll(null);
        assertThatThrownBy(turn::server).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onAnInstanceFieldTheServerLivesForOneTest() {
        TurnServerExtension turn = TurnServerExtension.builder().build();
        turn.beforeEach(null);
        assertThat(turn.udpAddress()).isNotNull();
        turn.afterEach(null);
        assertThatThrownBy(turn::server).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theExpresswayProfileAnswersAWrongPasswordWith431InRealmTandberg() throws Exception {
        TurnServerExtension turn = TurnServerExtension.builder().profile(Profile.EXPRESSWAY)
                .user("cms", "right").build();
        turn.beforeAll(null);
        try (TurnClient wrong = turn.clientBuilder(Transport.UDP).credentials("cms", "wrong").build()) {
            assertThat(turn.realm()).isEqualTo("TANDBERG");
            TurnResult<Allocation> refused = wrong.allocate().get(10, TimeUnit.SECONDS);
            assertThat(refused.isSuccess()).isFalse();
            assertThat(refused.error().orElseThrow().code()).isEqualTo(431);
            assertThat(turn.client(Transport.UDP).allocate().get(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        } finally {
            turn.afterAll(null);
        }
    }

    @Test
    void aLabFaultIsOnFromTheStart() throws Exception {
        TurnServerExtension turn = TurnServerExtension.builder().fault("answer=508").build();
        turn.beforeAll(null);
        try {
            TurnResult<Allocation> refused = turn.client(Transport.UDP).allocate().get(10, TimeUnit.SECONDS);
            assertThat(refused.isSuccess()).isFalse();
            assertThat(refused.error().orElseThrow().code()).isEqualTo(508);
        } finally {
            turn.afterAll(null);
        }
    }

    private static void assertClosed(TurnClient client) {
        assertThatThrownBy(() -> client.binding().get(10, TimeUnit.SECONDS)).hasStackTraceContaining("client closed");
    }

    @Test
    void withoutTlsThereIsNoTlsAddress() throws IOException {
        TurnServerExtension turn = TurnServerExtension.builder().build();
        turn.beforeAll(null);
        try {
            assertThatThrownBy(turn::tlsAddress).hasMessageContaining("builder().tls()");
        } finally {
            turn.afterAll(null);
        }
    }
}
