package dev.turnlab.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class CompareReportTest {

    @TempDir
    Path dir;

    private Path raw() throws Exception {
        Path raw = Files.createDirectories(dir.resolve("2026-11-29-compare"));
        Files.writeString(raw.resolve("meta.json"), "{\"started\":\"2026-11-29T18:00:00Z\",\"finished\":"
                + "\"2026-11-29T18:15:00Z\",\"machine\":\"Linux x86_64; AMD EPYC; 2 cores\",\"java\":\"17\","
                + "\"ours\":\"turnlab turn-server 0.1.0 (git abc1234)\",\"coturn\":\"coturn 4.6.1\","
                + "\"oursCommand\":\"java -jar turn-server.jar\",\"coturnCommand\":\"turnserver -n\",\"rounds\":3,"
                + "\"levels\":\"paced max setup\",\"duration\":\"10s\",\"warmup\":\"3s\",\"clockTicksPerSecond\":100,"
                + "\"pinning\":\"pinned with taskset: servers on CPU 0, generators and echo peers on CPU 1\","
                + "\"order\":\"ours first in odd rounds, coturn first in even ones\",\"nice\":-5,"
                + "\"priority\":\"nice -5, each process in a session of its own whose autogroup has nice -5\"}");
        for (int round = 1; round <= 3; round++) {
            Files.writeString(raw.resolve("r" + round + "-ours-paced.json"),
                    RunFiles.paced(round, "ours", 50_000, 400 + 100 * round, 40 + round));
            Files.writeString(raw.resolve("r" + round + "-coturn-paced.json"),
                    RunFiles.paced(round, "coturn", 50_000, 1000, 50));
            Files.writeString(raw.resolve("r" + round + "-ours-max.json"), RunFiles.load(round, "ours", "max", 10,
                    "\"max\"", 200_000 + 10_000 * round, 200_000 + 10_000 * round, 3000, 180, 9.5));
            Files.writeString(raw.resolve("r" + round + "-coturn-max.json"), RunFiles.load(round, "coturn", "max",
                    10, "\"max\"", 100_000, 100_000, 6000, 170, 9.5));
            Files.writeString(raw.resolve("r" + round + "-ours-setup.json"),
                    RunFiles.setup(round, "ours", 3.0, 10_000_000L, 22_000_000L, 100_000, 150_000));
            Files.writeString(raw.resolve("r" + round + "-coturn-setup.json"),
                    RunFiles.setup(round, "coturn", 4.0, null, null, 10_000, 40_000));
        }
        Files.writeString(raw.resolve("r1-coturn-uclient.txt"), UclientOutputTest.OUTPUT);
        Files.writeString(raw.resolve("r1-coturn-uclient.json"), "{\"round\":1,\"server\":\"coturn\","
                + "\"level\":\"uclient\",\"command\":\"timeout 90 turnutils_uclient\",\"exitStatus\":0,"
                + "\"loadBefore\":\"3.00 1 1\",\"loadAfter\":\"0.50 1 1\",\"serverCpuTicks\":30,"
                + "\"clockTicksPerSecond\":100,\"cpuWindowSeconds\":13.0,\"outputFile\":\"r1-coturn-uclient.txt\"}");
        return raw;
    }

    @Test
    void theReportHasATablePerLevelWithMediansRangesAndRatios() throws Exception {
        Path md = dir.resolve("2026-11-29-compare.md");
        Path svg = dir.resolve("2026-11-29-compare.svg");
        CompareReport.write(raw(), md, svg);
        String report = Files.readString(md);

        assertThat(report).contains("# turnlab's server against coturn, 2026-11-29T18:00:00Z")
                .contains("![goodput and p99 against offered load](2026-11-29-compare.svg)");
        // levels in the order compare.sh runs them, whatever the file names' order
        assertThat(report.indexOf("## paced")).isLessThan(report.indexOf("## max"));
        assertThat(report.indexOf("## max")).isLessThan(report.indexOf("## setup"));
        assertThat(report.indexOf("## setup")).isLessThan(report.indexOf("## uclient"));
        // p99 of ours 500, 600, 700 against coturn's 1000 thrice
        assertThat(report).contains("| round trip p99 (µs) | 600 [500–700] | 1,000 [1,000–1,000] | 0.60 |");
        // max: 21,000 [21,000–23,000] packets/s against 10,000: twice the goodput
        assertThat(report).contains("| goodput (echoed) (packets/s) | 22,000 [21,000–23,000] | 10,000 [10,000–10,000] "
                + "| 2.20 |");
        // ours 12 MB more live heap for 6,000 allocations: 2,000 bytes each; coturn has no heap reading
        assertThat(report).contains("| live heap per idle allocation (bytes) | 2,000 [2,000–2,000] | – |  |");
        assertThat(report).contains("| lost (%) | – | 0.200 |  |");
        assertThat(report).contains("| goodput ≥ coturn | max | 22,000 [21,000–23,000] | 10,000 [10,000–10,000] "
                + "| 2.20 | met |");
        assertThat(report).contains("ranged from 0.50 to 3.00");
        assertThat(report).contains("| 1 | coturn | uclient | 3.00 1 1 | 0.50 1 1 | 0 |");
        assertThat(report).contains("turnlab turn-server 0.1.0 (git abc1234)").contains("coturn 4.6.1");
    }

    @Test
    void theHeaderSaysHowTheFiguresWereTakenAndNamesNoIssue() throws Exception {
        Path md = dir.resolve("m.md");
        CompareReport.write(raw(), md, dir.resolve("m.svg"));
        String report = Files.readString(md);

        assertThat(report.indexOf("## Method")).isLessThan(report.indexOf("## Targets"));
        assertThat(report).contains("- **Cores**: pinned with taskset: servers on CPU 0, generators and echo peers "
                + "on CPU 1.")
                .contains("- **Rounds**: 3, both servers started afresh in each; every level runs against both in "
                        + "every round, one after the other (ours first in odd rounds, coturn first in even ones)")
                .contains("`/proc/<pid>/stat`")
                .contains("- **Priority**: nice -5, each process in a session of its own whose autogroup has nice -5, "
                        + "servers and generators alike.")
                .doesNotContainIgnoringCase("issue").doesNotContain("Fewer than 3 rounds");
    }

    @Test
    void aRunWithoutPinningOrWithFewRoundsSaysSo() throws Exception {
        Path raw = raw();
        String meta = Files.readString(raw.resolve("meta.json"));
        Files.writeString(raw.resolve("meta.json"), meta.replace("\"rounds\":3", "\"rounds\":1")
                .replace("pinned with taskset: servers on CPU 0, generators and echo peers on CPU 1",
                        "unpinned: one core only, shared by servers and generators"));
        Path md = dir.resolve("u.md");
        CompareReport.write(raw, md, dir.resolve("u.svg"));

        assertThat(Files.readString(md)).contains("- **Cores**: unpinned: one core only, shared by servers and "
                + "generators.").contains("**Fewer than 3 rounds: the ranges say little about the noise.**");
    }

    @Test
    void residentMemoryThatFellIsExplainedNotReportedAsANegativeCost() throws Exception {
        Path raw = raw();
        Files.writeString(raw.resolve("r2-ours-setup.json"),
                RunFiles.setup(2, "ours", 3.0, 10_000_000L, 22_000_000L, 150_000, 140_000));
        Path md = dir.resolve("f.md");
        CompareReport.write(raw, md, dir.resolve("f.svg"));
        String report = Files.readString(md);

        // 50,000 kB more for 6,000 allocations in rounds 1 and 3; round 2 gives no figure (not -1,707 bytes, not 0)
        assertThat(report).contains("| resident memory growth per idle allocation (bytes) | 8,533 [8,533–8,533] |")
                .contains("lower with the allocations held than before them in round 2 (ours)");
    }

    @Test
    void thePlotIsWellFormedSvgWithAMarkerPerLevelAndServer() throws Exception {
        Path md = dir.resolve("r.md");
        Path svg = dir.resolve("r.svg");
        CompareReport.write(raw(), md, svg);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readString(svg).getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        // paced and max, against two servers, in two panels, plus the legend's two markers
        assertThat(doc.getElementsByTagName("circle").getLength()).isEqualTo(2 * 2 + 1);
        assertThat(SvgPlot.points(new Comparison(CompareReport.runs(raw())))).hasSize(4);
    }

    @Test
    void aDirectoryWithoutRunsIsAnError() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> CompareReport.write(empty, dir.resolve("a.md"), dir.resolve("a.svg")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no runs");
    }

    @Test
    void aRunFileThatIsNotOneJsonObjectIsRefusedInOneLineNamingIt() throws Exception {
        for (String bad : new String[] {"{\"round\":1,}", "{\"round\":1} {\"round\":2}", "[1, 2]", "\"open", ""}) {
            Path raw = Files.createDirectories(dir.resolve("bad" + Math.abs(bad.hashCode())));
            Path file = Files.writeString(raw.resolve("r1-ours-paced.json"), bad);

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CompareReport.runs(raw)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(file + ": ")
                    .hasMessageContainingAll(bad.startsWith("[") || bad.isEmpty() ? "not a JSON object" : "JSON: ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void niceCeilingsAreRoundMultiplesOfAPowerOfTen() {
        assertThat(SvgPlot.niceCeiling(1)).isEqualTo(1);
        assertThat(SvgPlot.niceCeiling(1.7)).isEqualTo(2);
        assertThat(SvgPlot.niceCeiling(3_300)).isEqualTo(4_000);
        assertThat(SvgPlot.niceCeiling(64_854)).isEqualTo(80_000);
        assertThat(SvgPlot.niceCeiling(81_000)).isEqualTo(100_000);
    }
}
