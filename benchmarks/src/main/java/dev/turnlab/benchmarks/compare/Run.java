package dev.turnlab.benchmarks.compare;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * One run of one level against one server, as {@code compare.sh} recorded it, with its figures.
 *
 * @param round the round, from 1
 * @param server {@code ours} or {@code coturn}
 * @param level the level's name ({@code paced}, {@code setup}, {@code uclient}, ...)
 * @param command the generator's command line
 * @param exitStatus the generator's exit status
 * @param loadBefore the load average (1, 5, 15 minutes) just before the run
 * @param loadAfter the load average just after it
 * @param load what was offered, in words, for the level's heading
 * @param figures what was measured; a figure the run could not give is absent
 */
record Run(int round, String server, String level, String command, int exitStatus, String loadBefore,
        String loadAfter, String load, Map<Figure, Double> figures) {

    static final String OURS = "ours";
    static final String COTURN = "coturn";

    /**
     * Reads a run file: the wrapper written by compare.sh around turn-load's JSON report ({@code result}),
     * or, for {@code uclient}, around the file with turnutils_uclient's output ({@code uclientOutput}).
     */
    static Run of(JsonNode json, String uclientOutput) {
        String level = string(json, "level");
        Map<Figure, Double> figures = new EnumMap<>(Figure.class);
        Double ticks = number(json, "serverCpuTicks");
        Double hz = number(json, "clockTicksPerSecond");
        Double window = number(json, "cpuWindowSeconds");
        double cpuSeconds = ticks != null && hz != null && hz > 0 ? ticks / hz : Double.NaN;
        String load;
        if (level.equals("uclient")) {
            figures.putAll(UclientOutput.figures(uclientOutput == null ? "" : uclientOutput));
            Double received = figures.get(Figure.UCLIENT_RECEIVED);
            if (received != null && received > 0 && !Double.isNaN(cpuSeconds)) {
                figures.put(Figure.UCLIENT_CPU_PER_MESSAGE, cpuSeconds * 1e6 / received);
            }
            load = "coturn's turnutils_uclient through the server to turnutils_peer";
        } else {
            JsonNode result = object(json, "result");
            load = result == null ? "no result" : describe(level, result);
            if (result != null) {
                measured(level, result, figures);
                Double pps = number(result, "packetsPerSecond");
                if (!level.equals("setup") && window != null && window > 0 && !Double.isNaN(cpuSeconds)) {
                    figures.put(Figure.SERVER_CPU, cpuSeconds / window * 100);
                    if (pps != null && pps > 0) {
                        figures.put(Figure.CPU_PER_PACKET, cpuSeconds * 1e6 / (pps * window));
                    }
                }
            }
            JsonNode memory = object(json, "memory");
            if (memory != null) {
                memory(memory, figures);
            }
        }
        Double status = number(json, "exitStatus");
        return new Run(number(json, "round").intValue(), string(json, "server"), level, string(json, "command"),
                status == null ? -1 : status.intValue(), string(json, "loadBefore"), string(json, "loadAfter"), load,
                figures);
    }

    /** The first (one-minute) load average before the run, or NaN. */
    double load1Before() {
        return firstNumber(loadBefore);
    }

    /** The first (one-minute) load average after the run, or NaN. */
    double load1After() {
        return firstNumber(loadAfter);
    }

    private static void measured(String level, JsonNode r, Map<Figure, Double> figures) {
        if (level.equals("setup")) {
            put(figures, Figure.SESSIONS_READY, number(r, "ready"));
            put(figures, Figure.SETUP_SECONDS, number(r, "setupSeconds"));
            put(figures, Figure.SETUP_RATE, number(r, "setupRate"));
            return;
        }
        Double sent = number(r, "sent");
        Double seconds = number(r, "durationSeconds");
        if (sent != null && seconds != null && seconds > 0) {
            figures.put(Figure.OFFERED, sent / seconds);
        }
        put(figures, Figure.GOODPUT, number(r, "packetsPerSecond"));
        put(figures, Figure.MBIT, number(r, "mbitPerSecond"));
        put(figures, Figure.LOSS, number(r, "lossPercent"));
        JsonNode rtt = object(r, "rttMicros");
        if (rtt != null && number(r, "echoed") != null && number(r, "echoed") > 0) {
            put(figures, Figure.RTT_P50, number(rtt, "p50"));
            put(figures, Figure.RTT_P99, number(rtt, "p99"));
            put(figures, Figure.RTT_P999, number(rtt, "p99.9"));
        }
    }

    private static void memory(JsonNode m, Map<Figure, Double> figures) {
        Double sockets = number(m, "relaySockets");
        if (sockets == null || sockets <= 0) {
            return;
        }
        Double heapBefore = number(m, "liveHeapBefore");
        Double heapAfter = number(m, "liveHeapAfter");
        if (heapBefore != null && heapAfter != null) {
            figures.put(Figure.HEAP_PER_ALLOCATION, (heapAfter - heapBefore) / sockets);
        }
        Double rssBefore = number(m, "rssKbBefore");
        Double rssAfter = number(m, "rssKbAfter");
        if (rssBefore != null && rssAfter != null) {
            figures.put(Figure.RSS_BEFORE, rssBefore / 1024);
            figures.put(Figure.RSS_AFTER, rssAfter / 1024);
            // Resident memory can fall while allocations are added: a JVM returns heap to the kernel after a
            // full collection, malloc returns freed arenas. That says nothing about what an allocation costs,
            // so such a run has no growth figure (a 0 would pull the median down); the report shows both
            // readings and names the runs where it fell.
            if (rssAfter >= rssBefore) {
                figures.put(Figure.RSS_PER_ALLOCATION, (rssAfter - rssBefore) * 1024 / sockets);
            }
        }
    }

    /** Whether this run's resident memory was lower with the allocations held than before them. */
    boolean residentMemoryFell() {
        Double before = figures.get(Figure.RSS_BEFORE);
        Double after = figures.get(Figure.RSS_AFTER);
        return before != null && after != null && after < before;
    }

    private static String describe(String level, JsonNode r) {
        JsonNode rate = r.path("ratePerSession");
        String transport = String.valueOf(string(r, "transport")).toUpperCase(Locale.ROOT);
        int sessions = number(r, "sessions") == null ? 0 : number(r, "sessions").intValue();
        int payload = number(r, "payloadBytes") == null ? 0 : number(r, "payloadBytes").intValue();
        if (level.equals("setup")) {
            return String.format(Locale.ROOT, "%,d sessions set up (%s, allocation and channel each), then idle at "
                    + "%s packet/s each while memory is read", sessions, transport, rateWords(rate));
        }
        String pace = rate.isNumber()
                ? String.format(Locale.ROOT, "%,.0f packets/s each (open loop, %,.0f packets/s offered)", rate.asDouble(),
                        rate.asDouble() * sessions)
                : "as fast as echoes return (closed loop, " + string(r, "window") + " packets in flight each)";
        return String.format(Locale.ROOT, "%d sessions × %d B payload, %s, %s %s", sessions, payload, pace,
                transport, string(r, "mode"));
    }

    private static String rateWords(JsonNode rate) {
        return rate.isNumber() ? String.format(Locale.ROOT, "%.0f", rate.asDouble()) : string(rate);
    }

    private static void put(Map<Figure, Double> figures, Figure f, Double value) {
        if (value != null) {
            figures.put(f, value);
        }
    }

    private static double firstNumber(String loadAverage) {
        if (loadAverage == null || loadAverage.isBlank()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(loadAverage.trim().split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The member {@code name} as text (a number as written), or null when absent or null. */
    static String string(JsonNode json, String name) {
        return string(json.path(name));
    }

    private static String string(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
    }

    /** The member {@code name} if it is a number, else null. */
    static Double number(JsonNode json, String name) {
        JsonNode v = json.path(name);
        return v.isNumber() ? v.doubleValue() : null;
    }

    /** The member {@code name} if it is an object, else null. */
    static JsonNode object(JsonNode json, String name) {
        JsonNode v = json.path(name);
        return v.isObject() ? v : null;
    }
}
