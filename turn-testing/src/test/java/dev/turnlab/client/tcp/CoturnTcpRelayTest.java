package dev.turnlab.client.tcp;

import dev.turnlab.testing.tools.Coturn;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** {@link TcpRelayContract} against coturn's {@code turnserver}, which has offered RFC 6062 TCP relays for years. */
class CoturnTcpRelayTest extends TcpRelayContract {

    private static final String USER = "coturn-user";
    private static final String PASSWORD = "coturn-secret";

    private static Coturn coturn;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Coturn.available(), Coturn.MISSING);
        coturn = Coturn.builder().user(USER, PASSWORD).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
    }

    @Override
    protected InetSocketAddress server() {
        return coturn.address();
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
