package dev.turnlab.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunTest {

    /** A run file's JSON, as Jackson reads it. */
    static JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static Run run(String json, String uclientOutput) {
        return Run.of(read(json), uclientOutput);
    }

    @Test
    void aLoadRunGivesTurnLoadsFiguresAndTheServersCpuPerEchoedPacket() {
        // 100 sessions at 50 pps: 50,000 sent in 10 s, 49,900 echoed; the server used 95 ticks (0.95 s) in 9.5 s.
        Run r = run(RunFiles.paced(2, "ours", 49_900, 800, 95), null);
        assertThat(r.round()).isEqualTo(2);
        assertThat(r.server()).isEqualTo("ours");
        assertThat(r.level()).isEqualTo("paced");
        assertThat(r.figures().get(Figure.OFFERED)).isEqualTo(5000.0);
        assertThat(r.figures().get(Figure.GOODPUT)).isEqualTo(4990.0);
        assertThat(r.figures().get(Figure.LOSS)).isEqualTo(0.2);
        assertThat(r.figures().get(Figure.RTT_P99)).isEqualTo(800.0);
        assertThat(r.figures().get(Figure.SERVER_CPU)).isCloseTo(10.0, within(1e-9));
        // 0.95 s over 4,990 packets/s × 9.5 s
        assertThat(r.figures().get(Figure.CPU_PER_PACKET)).isCloseTo(0.95e6 / (4990 * 9.5), within(1e-9));
        assertThat(r.load()).isEqualTo("100 sessions × 100 B payload, 50 packets/s each (open loop, 5,000 "
                + "packets/s offered), UDP channel");
        assertThat(r.load1Before()).isEqualTo(1.5);
        assertThat(r.load1After()).isEqualTo(2.5);
    }

    @Test
    void aClosedLoopRunSaysSo() {
        Run r = run(RunFiles.load(1, "coturn", "max", 10, "\"max\"", 100_000, 100_000, 900, 150, 9.5), null);
        assertThat(r.load()).contains("closed loop, 16 packets in flight");
        assertThat(r.figures().get(Figure.LOSS)).isZero();
    }

    @Test
    void withoutACpuWindowThereIsNoCpuFigure() {
        String json = RunFiles.paced(1, "ours", 50_000, 800, 95).replace("\"serverCpuTicks\":95",
                "\"serverCpuTicks\":null");
        assertThat(run(json, null).figures()).doesNotContainKeys(Figure.SERVER_CPU, Figure.CPU_PER_PACKET);
    }

    @Test
    void aRunWithoutAResultHasNoFigures() {
        String json = "{\"round\":1,\"server\":\"coturn\",\"level\":\"tcp\",\"command\":\"x\",\"exitStatus\":1,"
                + "\"loadBefore\":\"1 1 1\",\"loadAfter\":\"1 1 1\",\"serverCpuTicks\":null,"
                + "\"clockTicksPerSecond\":100,\"cpuWindowSeconds\":null,\"stderr\":\"boom\",\"result\":null}";
        Run r = run(json, null);
        assertThat(r.figures()).isEmpty();
        assertThat(r.exitStatus()).isEqualTo(1);
    }

    @Test
    void theSetupLevelGivesSetupTimeAndMemoryPerAllocation() {
        Run r = run(RunFiles.setup(1, "ours", 12.0, 10_000_000L, 40_000_000L, 200_000, 260_000), null);
        assertThat(r.figures()).containsEntry(Figure.SESSIONS_READY, 6000.0)
                .containsEntry(Figure.SETUP_SECONDS, 12.0)
                .containsEntry(Figure.SETUP_RATE, 500.0)
                .containsEntry(Figure.HEAP_PER_ALLOCATION, 5000.0)
                .containsEntry(Figure.RSS_PER_ALLOCATION, 60_000 * 1024 / 6000.0)
                .doesNotContainKeys(Figure.GOODPUT, Figure.CPU_PER_PACKET);
    }

    @Test
    void coturnsSetupHasNoHeapReadingOnlyResidentMemory() {
        Run r = run(RunFiles.setup(1, "coturn", 6.0, null, null, 10_000, 40_000), null);
        assertThat(r.figures()).doesNotContainKey(Figure.HEAP_PER_ALLOCATION)
                .containsEntry(Figure.RSS_PER_ALLOCATION, 30_000 * 1024 / 6000.0);
    }

    @Test
    void residentMemoryThatFellWhileAllocationsWereAddedGivesNoGrowthFigureNeverANegativeOrZeroCost() {
        // A JVM that returned heap to the kernel at the full collection: 250 MiB before, 240 MiB after.
        Run r = run(RunFiles.setup(1, "ours", 6.0, 10_000_000L, 25_000_000L, 256_000, 245_760), null);
        assertThat(r.figures()).doesNotContainKey(Figure.RSS_PER_ALLOCATION)
                .containsEntry(Figure.RSS_BEFORE, 250.0)
                .containsEntry(Figure.RSS_AFTER, 240.0)
                .containsEntry(Figure.HEAP_PER_ALLOCATION, 2500.0);
        assertThat(r.residentMemoryFell()).isTrue();
        assertThat(run(RunFiles.setup(1, "ours", 6.0, null, null, 100, 200), null).residentMemoryFell()).isFalse();
    }

    @Test
    void aUclientRunReadsItsOutputAndChargesTheServersCpuToEachEchoedMessage() {
        String json = "{\"round\":1,\"server\":\"coturn\",\"level\":\"uclient\",\"command\":\"timeout 90 "
                + "turnutils_uclient\",\"exitStatus\":0,\"loadBefore\":\"1 1 1\",\"loadAfter\":\"1 1 1\","
                + "\"serverCpuTicks\":30,\"clockTicksPerSecond\":100,\"cpuWindowSeconds\":13.0,"
                + "\"outputFile\":\"r1-coturn-uclient.txt\"}";
        Run r = run(json, UclientOutputTest.OUTPUT);
        assertThat(r.figures()).containsEntry(Figure.UCLIENT_LOSS, 0.2)
                .containsEntry(Figure.UCLIENT_CPU_PER_MESSAGE, 0.3e6 / 1497);
    }
}
