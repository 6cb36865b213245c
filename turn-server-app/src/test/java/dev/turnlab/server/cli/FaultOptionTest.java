package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --fault NAME[=VALUE]} (repeatable) and {@code fault=} in the config file; a bad one is one line and status 2. */
class FaultOptionTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), new CountDownLatch(0));
    }

    @Test
    void repeatedFaultsReachTheConfiguration() {
        Main main = new Main(new PrintWriter(out), new CountDownLatch(0));
        new CommandLine(main).parseArgs("--user", "alice:secret", "--fault", "delay=80~20", "--fault=stall",
                "--fault", "block-relay=OUT");
        assertThat(main.build().config().faults()).hasToString("stall block-relay=out delay=80~20");
    }

    @Test
    void noFaultByDefault() {
        Main main = new Main(new PrintWriter(out), new CountDownLatch(0));
        new CommandLine(main).parseArgs("--user", "alice:secret");
        assertThat(main.build().config().faults().isEmpty()).isTrue();
    }

    @Test
    void aBadFaultIsOneLineAndStatus2() {
        String[] bad = {"meltdown", "loss=150", "delay=-1", "answer=200", "stall=yes", "advertise=nowhere"};
        for (String value : bad) {
            assertThat(run("--user", "alice:secret", "--fault", value)).as(value).isEqualTo(2);
        }
        assertThat(err.toString().lines()).hasSize(bad.length)
                .allSatisfy(l -> assertThat(l).startsWith("turn-server: fault: ").contains("(expected: "));
        assertThat(err.toString()).startsWith("turn-server: fault: meltdown (expected: one of stall, silent-udp");
    }

    @Test
    void theConfigFileTakesFaultLines() throws Exception {
        Path conf = dir.resolve("turn.conf");
        Files.writeString(conf, "user=alice:secret\nfault=loss=2.5\nfault stale-nonce\n");
        Main main = new Main(new PrintWriter(out), new CountDownLatch(0));
        new CommandLine(main).parseArgs(ConfigFile.arguments(conf).toArray(new String[0]));
        assertThat(main.build().config().faults()).hasToString("loss=2.5 stale-nonce");
    }

    @Test
    void helpListsTheOptionAndTheFaults() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--fault=NAME[=VALUE]").contains("stale-nonce");
    }
}
