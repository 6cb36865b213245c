package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.ListenerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The DTLS listener on the command line, in the config file and under coturn's names. */
class DtlsOptionTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private ListenerConfig listeners(String... args) {
        Main cli = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(cli).parseArgs(args);
        return cli.build().config().listeners();
    }

    @Test
    void dtlsFollowsTlsByDefaultAsInCoturn() {
        assertThat(listeners("--user", "a:b").dtlsPort()).isEqualTo(5349);
        assertThat(listeners("--user", "a:b", "--tls-port", "5350").dtlsPort()).isEqualTo(5350);
        assertThat(listeners("--user", "a:b", "--no-tls").dtls()).isFalse();
        assertThat(listeners("--user", "a:b", "--profile", "expressway").dtls()).isFalse();
    }

    @Test
    void dtlsPortAndNoDtls() {
        assertThat(listeners("--user", "a:b", "--dtls-port", "5360").dtlsPort()).isEqualTo(5360);
        assertThat(listeners("--user", "a:b", "--no-dtls").dtls()).isFalse();
        assertThat(listeners("--user", "a:b", "--no-tls", "--dtls-port", "5361").dtlsPort()).isEqualTo(5361);
        assertThat(listeners("--user", "a:b", "--no-dtls").tls()).isTrue();
    }

    @Test
    void coturnsNamesInItsConfFile() throws Exception {
        Path conf = dir.resolve("turnserver.conf");
        Files.writeString(conf, "user=a:b\nno-dtls\n");
        assertThat(listeners(ConfigFile.arguments(conf).toArray(new String[0])).dtls()).isFalse();
        Files.writeString(conf, "user=a:b\ndtls-port=5370\n");
        assertThat(listeners(ConfigFile.arguments(conf).toArray(new String[0])).dtlsPort()).isEqualTo(5370);
    }

    @Test
    void contradictoryOrBadDtlsOptionsAreOneLineAndStatus2() {
        int status = Main.run(new String[] {"--user", "a:b", "--no-dtls", "--dtls-port", "5349"}, new PrintWriter(out, true),
                new PrintWriter(err, true), new CountDownLatch(0));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(Main.run(new String[] {"--user", "a:b", "--dtls-port", "70000"}, new PrintWriter(out, true),
                new PrintWriter(err, true), new CountDownLatch(0))).isEqualTo(2);
    }
}
