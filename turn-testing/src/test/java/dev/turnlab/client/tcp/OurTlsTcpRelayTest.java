package dev.turnlab.client.tcp;

import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.check.CheckOptions;
import dev.turnlab.server.TurnServer;
import dev.turnlab.testing.LoopbackServers;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link TcpRelayContract} against our own server over TLS (its self-signed certificate): the control connection and
 * every data connection are TLS (RFC 6062 §4.3).
 */
class OurTlsTcpRelayTest extends TcpRelayContract {

    private static TurnServer server;
    private static SslContext trustAnything;

    @BeforeAll
    static void start() throws Exception {
        server = LoopbackServers.standard().tlsPort(0).build().start();
        trustAnything = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                .endpointIdentificationAlgorithm(null).build();
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
    protected TurnClient.Builder client() {
        return super.client().sslContext(trustAnything);
    }

    @Override
    protected CheckOptions checkOptions() {
        return super.checkOptions().withTransport(Transport.TLS).withSslContext(trustAnything);
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
