package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.TlsSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --cipher-list}, {@code --no-tlsv1_2} and {@code --tls-reload-interval}, by coturn's names and in its file. */
class TlsOptionsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void theOptionsReachTheListenerConfig() {
        TlsSettings tls = settingsOf("--cipher-list", "ECDHE-RSA-AES128-GCM-SHA256:TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "--no-tlsv1_2", "--tls-reload-interval", "30s");

        assertThat(tls).isEqualTo(new TlsSettings(List.of("TLSv1.3"), List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), Duration.ofSeconds(30)));
        assertThat(settingsOf()).isEqualTo(TlsSettings.DEFAULTS);
    }

    @Test
    void coturnsNamesAndFileKeysAreOurs() throws Exception {
        Path conf = dir.resolve("turnserver.conf");
        Files.writeString(conf, "user=alice:secret\ncipher-list=\"ECDHE-ECDSA-AES256-GCM-SHA384\"\nno-tlsv1\nno-tlsv1_1\n"
                + "no-tlsv1_2\n");
        List<String> warnings = new ArrayList<>();

        List<String> args = CoturnOptions.translate(ConfigFile.arguments(conf), warnings::add);

        assertThat(warnings).as("no-tlsv1 and no-tlsv1_1 ask for what is so already").isEmpty();
        assertThat(settingsOf(args.toArray(new String[0]))).isEqualTo(new TlsSettings(List.of("TLSv1.3"),
                List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"), TlsSettings.DEFAULT_RELOAD_INTERVAL));
    }

    @Test
    void anUnknownSuiteIsOneLineAndStatus2() {
        assertThat(run("--cipher-list", "ECDHE-RSA-AES128-GCM-SHA256:RC4-MD5")).isEqualTo(2);
        assertThat(run("--tls-reload-interval", "soon")).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "turn-server: cipher-list: RC4-MD5 (unknown or unsupported cipher suite; expected IANA names like"
                        + " TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or OpenSSL names like ECDHE-RSA-AES128-GCM-SHA256)",
                "turn-server: --tls-reload-interval: soon (expected: a duration such as 10s, 500ms or 2m) (see --help)");
    }

    private TlsSettings settingsOf(String... args) {
        Main cli = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        List<String> all = new ArrayList<>(List.of("--user", "alice:secret"));
        all.addAll(List.of(args));
        new CommandLine(cli).parseArgs(all.toArray(new String[0]));
        return cli.build().config().listeners().tlsSettings();
    }

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), new CountDownLatch(0));
    }
}
