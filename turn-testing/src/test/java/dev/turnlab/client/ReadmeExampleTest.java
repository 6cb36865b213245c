package dev.turnlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.check.CheckOptions;
import dev.turnlab.client.check.ReportFormat;
import dev.turnlab.client.check.ServerAddress;
import dev.turnlab.client.check.ServerReport;
import dev.turnlab.client.check.TurnCheck;
import dev.turnlab.server.TurnServer;
import dev.turnlab.testing.TurnServerExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The examples of turn-client/README.md, run as printed there against our server; the README's code
 * blocks are compared with the text between the markers below, so the two cannot drift apart.
 */
class ReadmeExampleTest {

    @RegisterExtension
    static final TurnServerExtension turn = TurnServerExtension.builder().user("expturncreds", "secret").build();

    private static TurnServer server;
    private static String host;
    private static int port;

    @BeforeAll
    static void start() {
        server = turn.server();
        host = turn.udpAddress().getAddress().getHostAddress();
        port = turn.udpAddress().getPort();
    }

    @Test
    void clientExample() throws Exception {
        // --- README client: begin
        try (TurnClient client = TurnClient.builder()
                .server(host, port)                          // UDP; .transport(Transport.TCP) or TLS
                .credentials("expturncreds", "secret")
                .build()) {
            TurnResult<Allocation> allocated = client.allocate().join();
            if (!allocated.isSuccess()) {                    // e.g. 431 Integrity Check Failure, 486 quota
                throw new AssertionError("TURN refused: " + allocated.error().orElseThrow());
            }
            Allocation allocation = allocated.value();
            client.onData((peer, data) -> System.out.println(data.length + " bytes from " + peer));
            client.createPermission(InetAddress.getByName("127.0.0.1")).join().value();
            System.out.println("relayed " + allocation.relayedAddress() + " in " + allocated.roundTrip().toMillis() + " ms");
        }                                                    // close() releases the allocation
        // --- README client: end
        assertThat(server.allocations()).isEmpty();
    }

    @Test
    void checkExample() {
        // --- README check: begin
        ServerReport report = TurnCheck.run(new ServerAddress(host, port),
                CheckOptions.DEFAULTS.withCredentials("expturncreds", "secret").withRelayTest(true));
        if (report.exitCode() != 0) {                        // findings say what is wrong and how to fix it
            throw new AssertionError(ReportFormat.TEXT.format(List.of(report)));
        }
        // --- README check: end
        assertThat(report.findings()).isEmpty();
    }

    @Test
    void readmeShowsExactlyTheseExamples() throws IOException {
        // Run in turn-testing, which has a server to run them against; the README is turn-client's.
        String readme = Files.readString(Path.of("../turn-client/README.md"), StandardCharsets.UTF_8);
        String source = Files.readString(Path.of("src/test/java/dev/turnlab/client/ReadmeExampleTest.java"),
                StandardCharsets.UTF_8);

        assertThat(readme).contains(snippet(source, "client"), snippet(source, "check"));
    }

    /** The lines between the markers, with the test's indentation removed. */
    private static String snippet(String source, String name) {
        String begin = "// --- README " + name + ": begin\n";
        int from = source.indexOf(begin) + begin.length();
        int to = source.lastIndexOf('\n', source.indexOf("// --- README " + name + ": end")) + 1;
        return source.substring(from, to).lines().map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .reduce("", (a, b) -> a + b + "\n");
    }
}
