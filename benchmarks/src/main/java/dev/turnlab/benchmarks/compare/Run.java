package dev.turnlab.benchmarks.compare;

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
    static Run of(Map<String, Object> json, String uclientOutput) {
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
            Map<String, Object> result = object(json, "result");
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
            Map<String, Object> memory = object(json, "memory");
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

    private static void measured(String level, Map<String, Object> r, Map<Figure, Double> figures) {
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
        Map<String, Object> rtt = object(r, "rttMicros");
        if (rtt != null && number(r, "echoed") != null && number(r, "echoed") > 0) {
            put(figures, Figure.RTT_P50, number(rtt, "p50"));
            put(figures, Figure.RTT_P99, number(rtt, "p99"));
            put(figures, Figure.RTT_P999, number(rtt, "p99.9"));
        }
    }

    private static void memory(Map<String, Object> m, Map<Figure, Double> figures) {
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
            figures.put(Figure.RSS_PER_ALLOCATION, (rssAfter - rssBefore) * 1024 / sockets);
        }
    }

    private static String describe(String level, Map<String, Object> r) {
        Object rate = r.get("ratePerSession");
        String transport = String.valueOf(r.get("transport")).toUpperCase(Locale.ROOT);
        int sessions = number(r, "sessions") == null ? 0 : number(r, "sessions").intValue();
        int payload = number(r, "payloadBytes") == null ? 0 : number(r, "payloadBytes").intValue();
        if (level.equals("setup")) {
            return String.format(Locale.ROOT, "%,d sessions set up (%s, allocation and channel each), then idle at "
                    + "%s packet/s each while memory is read", sessions, transport, rateWords(rate));
        }
        String pace = rate instanceof Double d
                ? String.format(Locale.ROOT, "%,.0f packets/s each (open loop, %,.0f packets/s offered)", d,
                        d * sessions)
                : "as fast as echoes return (closed loop, " + String.valueOf(r.get("window")).replace(".0", "")
                        + " packets in flight each)";
        return String.format(Locale.ROOT, "%d sessions × %d B payload, %s, %s %s", sessions, payload, pace,
                transport, r.get("mode"));
    }

    private static String rateWords(Object rate) {
        return rate instanceof Double d ? String.format(Locale.ROOT, "%.0f", d) : String.valueOf(rate);
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

    static String string(Map<String, Object> json, String name) {
        Object v = json.get(name);
        return v == null ? null : v.toString();
    }

    static Double number(Map<String, Object> json, String name) {
        return json.get(name) instanceof Double d ? d : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> json, String name) {
        return json.get(name) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }
}
