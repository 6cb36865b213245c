package dev.turnlab.client.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.RelayTransport;
import dev.turnlab.client.check.ExitCodes;
import dev.turnlab.client.check.Finding;
import dev.turnlab.client.check.ReportFormat;
import dev.turnlab.client.check.ServerAddress;
import dev.turnlab.client.check.ServerReport;
import dev.turnlab.client.check.TurnCheck;
import dev.turnlab.testing.tools.Coturn;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    @Test
    void turnCheckSaysWhenAServerOffersNoTcpRelays() throws Exception {
        try (Coturn udpOnly = Coturn.builder().user(USER, PASSWORD).arguments("--no-tcp-relay").start()) {
            ServerReport r = TurnCheck.run(new ServerAddress("127.0.0.1", udpOnly.address().getPort()),
                    checkOptions().withRelayTest(true).withRelayTransport(RelayTransport.TCP));

            assertThat(r.allocation().error().code()).isEqualTo(442);
            assertThat(r.findings()).extracting(Finding::code).containsExactly("tcp-relay-unsupported");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.ALLOCATION_REFUSED);
            assertThat(ReportFormat.TEXT.format(List.of(r)))
                    .contains("  allocation      TCP relay REFUSED: 442 "); // coturn: "TCP Transport is not allowed by the TURN Server configuration"
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
