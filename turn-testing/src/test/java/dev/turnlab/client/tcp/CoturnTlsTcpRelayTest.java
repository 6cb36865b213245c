package dev.turnlab.client.tcp;

import dev.turnlab.client.Transport;
import dev.turnlab.testing.tools.Coturn;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link TcpRelayContract} against coturn over TLS: the control connection and every data connection
 * are TLS (RFC 6062 §4.3: the data connection uses the control connection's transport).
 */
class CoturnTlsTcpRelayTest extends TcpRelayContract {

    private static final String USER = "coturn-user";
    private static final String PASSWORD = "coturn-secret";

    private static Coturn coturn;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Coturn.available(), Coturn.MISSING);
        coturn = Coturn.builder().user(USER, PASSWORD).tls().start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
    }

    @Override
    protected InetSocketAddress server() {
        return coturn.tlsAddress();
    }

    @Override
    protected Transport transport() {
        return Transport.TLS;
    }

    @Override
    protected String user() {
        return USER;
    }

    @Override
    protected String password() {
        return PASSWORD;
    }
}
