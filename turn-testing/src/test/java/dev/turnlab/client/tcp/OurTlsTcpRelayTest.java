package dev.turnlab.client.tcp;

import dev.turnlab.client.Transport;
import dev.turnlab.server.TurnServer;
import dev.turnlab.testing.LoopbackServers;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link TcpRelayContract} against our own server over TLS (its self-signed certificate): the control connection and
 * every data connection are TLS (RFC 6062 §4.3).
 */
class OurTlsTcpRelayTest extends TcpRelayContract {

    private static TurnServer server;

    @BeforeAll
    static void start() throws Exception {
        server = LoopbackServers.standard().tlsPort(0).build().start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected InetSocketAddress server() {
        return server.tlsAddress();
    }

    @Override
    protected Transport transport() {
        return Transport.TLS;
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
