package dev.turnlab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TurnLoadCliTest {

    private static final String GOOD = "--server 127.0.0.1:3478 --user u --password p";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String line) {
        List<String> args = new ArrayList<>(List.of(line.trim().split("\\s+")));
        args.removeIf(String::isEmpty);
        return TurnLoad.execute(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--user u --password p",
        GOOD + " --sessions 0",
        GOOD + " --sessions many",
        GOOD + " --payload 15",
        GOOD + " --payload 70000",
        GOOD + " --rate 0",
        GOOD + " --rate fast",
        GOOD + " --duration 0s",
        GOOD + " --duration soon",
        GOOD + " --warmup -1s",
        GOOD + " --transport sctp",
        GOOD + " --mode relay",
        GOOD + " --format xml",
        GOOD + " --window 0",
        GOOD + " --refresh 300s",
        GOOD + " --peer 127.0.0.1",
        GOOD + " --peer 127.0.0.1:70000",
        "--server 127.0.0.1 --user u --password p",
        "--server 127.0.0.1:3478 --user u --password a\u0007b",
        GOOD + " --no-such-option",
    })
    void aBadArgumentIsOneLineAndStatusTwo(String line) {
        assertThat(run(line)).isEqualTo(TurnLoad.USAGE);
        assertThat(err().lines()).singleElement().asString().startsWith("turn-load: ").endsWith("(see --help)");
        assertThat(out.size()).isZero();
    }

    @Test
    void theMessageNamesTheOptionAndTheExpectedRange() {
        run(GOOD + " --payload 15");
        assertThat(err()).contains("--payload: 15 (expected: 16-65000 bytes)");
    }

    @Test
    void durationsAndAddressesAreReadByTheSharedConverters() {
        run(GOOD + " --duration soon");
        run(GOOD + " --peer ::1:9000");
        assertThat(err().lines()).containsExactly(
                "turn-load: --duration: soon (expected: a duration such as 10s, 500ms or 2m) (see --help)",
                "turn-load: --peer: ::1:9000 (expected: HOST:PORT with PORT 1-65535, an IPv6 address in brackets) (see --help)");
    }

    @Test
    void helpListsEveryOptionAndSucceeds() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--server", "--user", "--password", "--realm",
                "--transport", "--sessions", "--payload", "--rate", "--duration", "--warmup", "--mode", "--format",
                "--peer", "--window");
    }
}
