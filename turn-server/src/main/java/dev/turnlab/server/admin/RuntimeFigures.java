package dev.turnlab.server.admin;

import java.io.IOException;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The process and the JVM at one moment, as Prometheus's Java client names them ({@code process_*},
 * {@code jvm_*}): read from {@code java.lang.management} and, for memory, from {@code /proc/self/status}.
 * A count the platform does not give is -1 (as the JVM reports a heap without a limit), the CPU time null;
 * either is left out of {@code /metrics}.
 *
 * @param cpu CPU time the process used, user and system; null where the JVM cannot tell
 * @param started when the JVM started
 * @param residentBytes resident memory (VmRSS)
 * @param virtualBytes virtual memory (VmSize)
 * @param openFds file descriptors open
 * @param maxFds the limit of open file descriptors
 * @param heap the heap's used, committed and maximum bytes
 * @param nonHeap the same outside the heap (metaspace, code cache)
 * @param collectors each garbage collector's collections and the time spent in them
 * @param threads live, daemon and peak threads, and threads started
 * @param classes classes loaded now, since the start, and unloaded
 */
public record RuntimeFigures(Duration cpu, Instant started, long residentBytes, long virtualBytes, long openFds,
        long maxFds, Memory heap, Memory nonHeap, List<Collector> collectors, Threads threads, Classes classes) {

    /** Bytes of one memory area; {@code max} is -1 without a limit. */
    public record Memory(long used, long committed, long max) {
    }

    /** A garbage collector by its JVM name (a fixed few per JVM), its collections and their accumulated time. */
    public record Collector(String name, long collections, Duration time) {
    }

    /** Threads: live now, daemon among them, the most live at once, and started since the JVM started. */
    public record Threads(long live, long daemon, long peak, long started) {
    }

    /** Classes loaded now, loaded since the JVM started, and unloaded. */
    public record Classes(long loaded, long totalLoaded, long unloaded) {
    }

    /** Copies the list. */
    public RuntimeFigures {
        collectors = List.copyOf(collectors);
    }

    /** The figures of this process now. */
    public static RuntimeFigures read() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        long cpuNanos = -1;
        long open = -1;
        long max = -1;
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            cpuNanos = sun.getProcessCpuTime();
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            open = unix.getOpenFileDescriptorCount();
            max = unix.getMaxFileDescriptorCount();
        }
        List<Collector> collectors = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collectors.add(new Collector(gc.getName(), Math.max(0, gc.getCollectionCount()),
                    Duration.ofMillis(Math.max(0, gc.getCollectionTime()))));
        }
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        ClassLoadingMXBean c = ManagementFactory.getClassLoadingMXBean();
        long[] memory = procStatus("VmRSS:", "VmSize:");
        return new RuntimeFigures(cpuNanos < 0 ? null : Duration.ofNanos(cpuNanos),
                Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()), memory[0], memory[1], open, max,
                memory(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage()),
                memory(ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage()), collectors,
                new Threads(t.getThreadCount(), t.getDaemonThreadCount(), t.getPeakThreadCount(), t.getTotalStartedThreadCount()),
                new Classes(c.getLoadedClassCount(), c.getTotalLoadedClassCount(), c.getUnloadedClassCount()));
    }

    private static Memory memory(MemoryUsage u) {
        return new Memory(u.getUsed(), u.getCommitted(), u.getMax());
    }

    /** The sizes in bytes of the named {@code /proc/self/status} lines ("VmRSS:  1234 kB"), -1 for each one absent. */
    private static long[] procStatus(String... keys) {
        long[] values = new long[keys.length];
        java.util.Arrays.fill(values, -1);
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/status"));
        } catch (IOException | UnsupportedOperationException e) {
            return values; // not Linux: the figures are left out
        }
        for (String line : lines) {
            for (int i = 0; i < keys.length; i++) {
                if (line.startsWith(keys[i])) {
                    values[i] = kilobytes(line.substring(keys[i].length()).trim());
                }
            }
        }
        return values;
    }

    private static long kilobytes(String value) {
        String[] parts = value.split("\\s+");
        try {
            long n = Long.parseLong(parts[0]);
            return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? n * 1024 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
