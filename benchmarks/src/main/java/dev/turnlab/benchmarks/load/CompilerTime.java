package dev.turnlab.benchmarks.load;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much the JIT compilers have worked so far, as a number that grows while they work: on Linux the CPU
 * clock ticks of this process's compiler threads (a compilation in progress counts, unlike in the JVM's
 * own figure, which grows when one finishes), elsewhere the JVM's total compilation time in milliseconds.
 */
final class CompilerTime {

    private static final Path TASKS = Path.of("/proc/self/task");

    private CompilerTime() {
    }

    /** The compilers' work so far, in ticks or milliseconds; compare only with another reading of this method. */
    static long now() {
        if (Files.isDirectory(TASKS)) {
            long ticks = 0;
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
                for (Path task : tasks) {
                    ticks += compilerTicks(task.resolve("stat"));
                }
                return ticks;
            } catch (IOException e) {
                // fall through to the JVM's figure
            }
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** utime + stime of a thread named like "C2 CompilerThread0", or 0 for any other thread or one gone. */
    static long compilerTicks(Path stat) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (IOException e) {
            return 0; // the thread has ended
        }
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open || !line.substring(open + 1, close).contains("Compiler")) {
            return 0;
        }
        // proc(5): after "pid (comm) " come state, ppid, ...; utime and stime are fields 14 and 15.
        String[] fields = line.substring(close + 2).split(" ");
        return fields.length > 12 ? Long.parseLong(fields[11]) + Long.parseLong(fields[12]) : 0;
    }
}
