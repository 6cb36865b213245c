package dev.turnlab.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.TurnResult;
import dev.turnlab.server.Profile;
import dev.turnlab.testing.tools.Peer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example of the top README's "In your tests" and of turn-testing/README.md, run as printed there; both
 * READMEs' code blocks are compared with the text between the markers, so they cannot drift apart.
 */
class ReadmeExampleTest {

    // --- README extension: begin
    @RegisterExtension
    static TurnServerExtension turn = TurnServerExtension.builder()
            .profile(Profile.EXPRESSWAY)            // realm TANDBERG, 431 on a wrong password
            .user("expturncreds", "secret")
            .build();

    @Test
    void relaysToAPeer() throws Exception {
        TurnClient client = turn.client(Transport.UDP);    // closed after the test
        TurnResult<Allocation> allocated = client.allocate().join();
        assertThat(allocated.isSuccess()).isTrue();
        try (Peer peer = new Peer()) {                      // a UDP peer on 127.0.0.1
            client.createPermission(peer.address().getAddress()).join();
            client.send(peer.address(), "hello".getBytes(StandardCharsets.UTF_8)).join();
            assertThat(peer.receive(5000).sender()).isEqualTo(allocated.value().relayedAddress());
        }
    }
    // --- README extension: end

    @Test
    void theReadmesShowThisExample() throws Exception {
        String source = Files.readString(Path.of("src/test/java/dev/turnlab/testing/ReadmeExampleTest.java"),
                StandardCharsets.UTF_8);
        String example = snippet(source);
        assertThat(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8)).contains(example);
        assertThat(Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8)).contains(example);
    }

    /** The lines between the markers, with the class's indentation removed. */
    private static String snippet(String source) {
        String begin = "// --- README extension: begin\n";
        int from = source.indexOf(begin) + begin.length();
        int to = source.lastIndexOf('\n', source.indexOf("// --- README extension: end")) + 1;
        StringBuilder text = new StringBuilder();
        source.substring(from, to).lines().forEach(l -> text.append(l.length() >= 4 ? l.substring(4) : l.strip())
                .append('\n'));
        return text.toString();
    }
}
