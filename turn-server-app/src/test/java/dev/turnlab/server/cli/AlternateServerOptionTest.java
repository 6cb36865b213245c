package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --alternate-server} (repeatable, and the config-file key coturn uses) and {@code --drain-grace}. */
class AlternateServerOptionTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void alternatesInTheirOrderFromTheCommandLineAndTheConfigFile() throws Exception {
        Main cli = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(cli).parseArgs("--user", "alice:secret", "--alternate-server", "192.0.2.5:3478",
                "--alternate-server", "[2001:db8::5]:3479");
        assertThat(cli.build().config().alternates().addresses()).containsExactly(
                new InetSocketAddress("192.0.2.5", 3478), new InetSocketAddress("2001:db8::5", 3479));

        Path conf = dir.resolve("turnserver.conf");
        Files.writeString(conf, "user=alice:secret\nalternate-server=192.0.2.6:3478\n");
        Main fromFile = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(fromFile).parseArgs(ConfigFile.arguments(conf).toArray(new String[0]));
        assertThat(fromFile.build().config().alternates().addresses())
                .containsExactly(new InetSocketAddress("192.0.2.6", 3478));
    }

    @Test
    void badAlternatesAndGracesAreOneLineAndStatus2() {
        assertThat(run("--alternate-server", "192.0.2.5")).isEqualTo(2);
        assertThat(run("--alternate-server", "0.0.0.0:3478")).isEqualTo(2);
        assertThat(run("--alternate-server", "192.0.2.5:3478", "--alternate-server", "192.0.2.5:3478")).isEqualTo(2);
        assertThat(run("--drain-grace", "0")).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "turn-server: --alternate-server: 192.0.2.5 (expected: HOST:PORT with PORT 1-65535, an IPv6 address"
                        + " in brackets) (see --help)",
                "turn-server: alternateServer: /0.0.0.0:3478 (expected: a specific IP address and a port, HOST:PORT)",
                "turn-server: alternateServer: [/192.0.2.5:3478, /192.0.2.5:3478] (expected: each address once)",
                "turn-server: --drain-grace: 0s (expected: at least 1s)");
    }

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), new CountDownLatch(0));
    }
}
