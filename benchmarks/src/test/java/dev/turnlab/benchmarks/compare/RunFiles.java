package dev.turnlab.benchmarks.compare;

import java.util.Locale;

/** Run files in the shape compare.sh writes, around turn-load's JSON report. */
final class RunFiles {

    private RunFiles() {
    }

    /**
     * A run of a UDP level at {@code rate} packets/s per session (or "max") with the given outcome: the
     * server used {@code ticks} clock ticks (100 per second) during {@code window} seconds.
     */
    static String load(int round, String server, String level, int sessions, String rate, double sent,
            double echoed, long p99, long ticks, double window) {
        double seconds = 10;
        String result = String.format(Locale.ROOT, "{\"server\":\"127.0.0.1:40000\",\"transport\":\"udp\","
                + "\"mode\":\"channel\",\"io\":\"epoll\",\"peer\":\"127.0.0.1:40001\",\"sessions\":%d,"
                + "\"payloadBytes\":100,\"ratePerSession\":%s,\"window\":16,\"durationSeconds\":%.3f,"
                + "\"warmupSeconds\":3.000,\"ready\":%d,\"setupFailed\":0,\"setupFailures\":{},\"setupSeconds\":0.5,"
                + "\"setupRate\":200.0,\"packetsPerSecond\":%.3f,\"mbitPerSecond\":%.3f,\"sent\":%.0f,\"echoed\":%.0f,"
                + "\"lossPercent\":%.3f,\"duplicates\":0,\"reordered\":0,\"corrupt\":0,\"malformed\":0,"
                + "\"socketErrors\":0,\"unsent\":0,\"givenUp\":0,\"refreshes\":0,\"refreshFailures\":0,"
                + "\"rttMicros\":{\"p50\":%d,\"p90\":%d,\"p99\":%d,\"p99.9\":%d,\"max\":%d},\"cpuPercent\":90.0,"
                + "\"cpuMicrosPerPacket\":20.0,\"cores\":2,\"message\":null}", sessions, rate, seconds, sessions,
                echoed / seconds, echoed / seconds * 800 / 1e6, sent, echoed, (sent - echoed) / sent * 100, p99 / 4,
                p99 / 2, p99, p99 * 2, p99 * 3);
        return String.format(Locale.ROOT, "{\"round\":%d,\"server\":\"%s\",\"level\":\"%s\",\"command\":\"java -jar "
                + "turn-load.jar --sessions %d\",\"exitStatus\":0,\"loadBefore\":\"1.50 1.20 0.90\","
                + "\"loadAfter\":\"2.50 1.40 1.00\",\"serverCpuTicks\":%d,\"clockTicksPerSecond\":100,"
                + "\"cpuWindowSeconds\":%.3f,\"stderr\":\"\",\"result\":%s}", round, server, level, sessions, ticks,
                window, result);
    }

    /** A paced run: 100 sessions at 50 packets/s. */
    static String paced(int round, String server, double echoed, long p99, long ticks) {
        return load(round, server, "paced", 100, "50", 50_000, echoed, p99, ticks, 9.5);
    }

    /** A setup run of the memory level with the readings compare.sh takes. */
    static String setup(int round, String server, double seconds, Long heapBefore, Long heapAfter, long rssBefore,
            long rssAfter) {
        String result = String.format(Locale.ROOT, "{\"transport\":\"udp\",\"mode\":\"channel\",\"sessions\":6000,"
                + "\"payloadBytes\":100,\"ratePerSession\":1,\"window\":16,\"durationSeconds\":4.0,\"ready\":6000,"
                + "\"setupFailed\":0,\"setupFailures\":{},\"setupSeconds\":%.3f,\"setupRate\":%.3f,"
                + "\"packetsPerSecond\":6000.0,\"sent\":24000,\"echoed\":24000,\"lossPercent\":0.0,"
                + "\"rttMicros\":{\"p50\":100,\"p90\":200,\"p99\":300,\"p99.9\":400,\"max\":500}}", seconds,
                6000 / seconds);
        return String.format(Locale.ROOT, "{\"round\":%d,\"server\":\"%s\",\"level\":\"setup\",\"command\":\"x\","
                + "\"exitStatus\":0,\"loadBefore\":\"1.00 1.00 1.00\",\"loadAfter\":\"1.00 1.00 1.00\","
                + "\"serverCpuTicks\":null,\"clockTicksPerSecond\":100,\"cpuWindowSeconds\":null,"
                + "\"memory\":{\"relaySockets\":6000,\"rssKbBefore\":%d,\"rssKbAfter\":%d,\"liveHeapBefore\":%s,"
                + "\"liveHeapAfter\":%s},\"stderr\":\"\",\"result\":%s}", round, server, rssBefore, rssAfter,
                heapBefore, heapAfter, result);
    }
}
