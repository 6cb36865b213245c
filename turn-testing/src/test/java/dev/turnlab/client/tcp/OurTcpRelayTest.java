package dev.turnlab.client.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.RelayTransport;
import dev.turnlab.client.check.ExitCodes;
import dev.turnlab.client.check.Finding;
import dev.turnlab.client.check.ServerAddress;
import dev.turnlab.client.check.ServerReport;
import dev.turnlab.client.check.TurnCheck;
import dev.turnlab.server.TurnServer;
import dev.turnlab.testing.LoopbackServers;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link TcpRelayContract} against our own server over TCP: our client and turn-check with our RFC 6062 relays. */
class OurTcpRelayTest extends TcpRelayContract {

    private static TurnServer server;

    @BeforeAll
    static void start() {
        server = LoopbackServers.standard().build().start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void withoutTcpRelaysTheAllocateIs442AndTurnCheckSaysSo() throws Exception {
        try (TurnServer udpOnly = LoopbackServers.standard().tcpRelays(false).build().start()) {
            ServerReport r = TurnCheck.run(new ServerAddress("127.0.0.1", udpOnly.tcpAddress().getPort()),
                    checkOptions().withRelayTest(true).withRelayTransport(RelayTransport.TCP));

            assertThat(r.allocation().error().code()).isEqualTo(442);
            assertThat(r.findings()).extracting(Finding::code).containsExactly("tcp-relay-unsupported");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.ALLOCATION_REFUSED);
        }
    }

    @Override
    protected InetSocketAddress server() {
        return server.tcpAddress();
    }

    @Override
    protected String user() {
        return LoopbackServers.USER;
    }

    @Override
    protected String password() {
        return LoopbackServers.PASSWORD;
    }
}
