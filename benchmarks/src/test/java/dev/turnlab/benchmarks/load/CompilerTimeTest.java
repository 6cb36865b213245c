package dev.turnlab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the JIT compiler threads' CPU ticks out of proc(5)'s stat lines. */
class CompilerTimeTest {

    @TempDir
    Path dir;

    private long ticks(String statLine) throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, statLine);
        return CompilerTime.compilerTicks(stat);
    }

    @Test
    void aCompilerThreadCountsUserAndSystemTicks() throws Exception {
        // utime 1234 and stime 56 are fields 14 and 15; the name has a space in it.
        assertThat(ticks("4242 (C2 CompilerThre) S 1 4200 4200 0 -1 4194368 10 0 0 0 1234 56 0 0 20 0 1 0 9 0 0"))
                .isEqualTo(1290);
    }

    @Test
    void anyOtherThreadCountsNothing() throws Exception {
        assertThat(ticks("4243 (multiThreadIoEv) R 1 4200 4200 0 -1 4194368 10 0 0 0 999 1 0 0 20 0 1 0 9 0 0"))
                .isZero();
    }

    @Test
    void aThreadThatHasEndedCountsNothing() {
        assertThat(CompilerTime.compilerTicks(dir.resolve("gone"))).isZero();
    }

    @Test
    void thisJvmsReadingNeverGoesBack() {
        long first = CompilerTime.now();
        assertThat(CompilerTime.now()).isGreaterThanOrEqualTo(first);
    }
}
