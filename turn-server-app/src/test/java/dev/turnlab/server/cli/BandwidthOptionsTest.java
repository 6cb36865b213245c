package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.BandwidthLimits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --max-bps} and {@code --bps-capacity}: coturn's names and short forms, its config keys, bad values. */
class BandwidthOptionsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void theOptionsReachTheLimitsConfig() {
        assertThat(bandwidthOf("--max-bps", "64000", "--bps-capacity", "6400000"))
                .isEqualTo(new BandwidthLimits(64_000, 6_400_000));
        assertThat(bandwidthOf()).isEqualTo(BandwidthLimits.NONE);
    }

    @Test
    void coturnsShortFormsAndConfigKeysMeanTheSame() throws Exception {
        assertThat(bandwidthOf(translated("-s", "1000", "-B", "5000"))).isEqualTo(new BandwidthLimits(1000, 5000));

        Path conf = dir.resolve("turnserver.conf");
        Files.writeString(conf, "max-bps=3000\nbps-capacity 9000\n");
        List<String> warnings = new ArrayList<>();
        List<String> args = CoturnOptions.translate(ConfigFile.arguments(conf), warnings::add);
        assertThat(bandwidthOf(args.toArray(new String[0]))).isEqualTo(new BandwidthLimits(3000, 9000));
        assertThat(warnings).isEmpty();
    }

    @Test
    void badValuesAreOneLineAndStatus2() {
        assertThat(run("--max-bps", "-1")).isEqualTo(2);
        assertThat(run("--bps-capacity=-2")).isEqualTo(2);
        assertThat(run("--bps-capacity", "1000")).isEqualTo(2);
        assertThat(run("--max-bps", "2000", "--bps-capacity", "1000")).isEqualTo(2);
        assertThat(run("--max-bps", "fast")).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(5).allSatisfy(l -> assertThat(l).startsWith("turn-server: "));
        assertThat(err.toString().lines().toList().subList(0, 4)).containsExactly(
                "turn-server: maxBps: -1 (expected: 0..1000000000000 bytes per second, 0 for no limit)",
                "turn-server: bpsCapacity: -2 (expected: 0..1000000000000 bytes per second, 0 for no limit)",
                "turn-server: bpsCapacity: 1000 needs maxBps (each allocation reserves its max-bps out of the capacity;"
                        + " without one nothing would be reserved)",
                "turn-server: bpsCapacity: 1000 (expected: 0 or at least maxBps 2000, else no allocation fits)");
    }

    private String[] translated(String... coturn) {
        return CoturnOptions.translate(List.of(coturn), w -> { }).toArray(new String[0]);
    }

    private BandwidthLimits bandwidthOf(String... args) {
        Main cli = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        List<String> all = new ArrayList<>(List.of("--user", "alice:secret"));
        all.addAll(List.of(args));
        new CommandLine(cli).parseArgs(all.toArray(new String[0]));
        return cli.build().config().limits().bandwidth();
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--user=alice:secret");
        all.add("--port=0");
        all.add("--no-tls");
        return Main.run(all.toArray(new String[0]), new PrintWriter(out, true), new PrintWriter(err, true),
                new CountDownLatch(0));
    }
}
