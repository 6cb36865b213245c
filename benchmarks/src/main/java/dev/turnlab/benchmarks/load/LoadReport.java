package dev.turnlab.benchmarks.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * The result of one run: setup figures, the steady-state tally and the generator's own CPU use.
 *
 * @param config what was run
 * @param io the Netty transport used, "epoll" or "nio"
 * @param peer the echo peer's address given to the server
 * @param ready sessions set up
 * @param setupSeconds wall time of the whole setup phase
 * @param failures failed setups by STUN error code or reason
 * @param tally the measured window's counts and round trips
 * @param cpuPercent this process's CPU time over the measured window's wall time, in percent of one core
 * @param cores processors available to this JVM
 * @param message a one-line explanation when something went wrong, else {@code null}
 */
record LoadReport(LoadConfig config, String io, String peer, int ready, double setupSeconds,
        SortedMap<String, Integer> failures, Tally tally, double cpuPercent, int cores, String message) {

    private static final JsonFactory JSON = new JsonFactory();
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};
    private static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99.9"};

    /** Failed setups, all reasons together. */
    int failed() {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Allocations completed per second of setup (each with its channel binding or permission). */
    double setupRate() {
        return setupSeconds > 0 ? ready / setupSeconds : 0;
    }

    /** Distinct probes of the measured window echoed back, per second of the window. */
    double packetsPerSecond() {
        return tally.received() / seconds();
    }

    /** The echoed application payload in megabits per second (headers not counted). */
    double mbitPerSecond() {
        return tally.received() * config.payload() * 8.0 / seconds() / 1e6;
    }

    /** This process's CPU time per echoed packet of the window, in microseconds: a round trip's cost here. */
    double cpuMicrosPerPacket() {
        return tally.received() == 0 ? 0 : cpuPercent / 100 * seconds() * 1e6 / tally.received();
    }

    private double seconds() {
        return config.duration().toNanos() / 1e9;
    }

    private String rate() {
        return config.isMaxRate() ? "max (window " + config.window() + ")" : config.ratePerSession() + " pps";
    }

    /** The report for a human, one figure per line. */
    String text() {
        StringBuilder s = new StringBuilder();
        String server = config.server().getHostString() + ":" + config.server().getPort();
        s.append(String.format(Locale.ROOT, "turn-load  server %s  %s/%s  %s  peer %s%n", server,
                name(config.transport()), name(config.mode()), io, peer));
        s.append(String.format(Locale.ROOT,
                "load       %d sessions x %s x %d B payload, %s measured after %s warm-up%n",
                config.sessions(), rate(), config.payload(), human(config.duration()), human(config.warmup())));
        s.append(String.format(Locale.ROOT, "setup      %d ready, %d failed%s in %.3f s (%.1f allocations/s)%n", ready,
                failed(), failures.isEmpty() ? "" : " " + failureList(), setupSeconds, setupRate()));
        if (message != null) {
            s.append("problem    ").append(message).append(System.lineSeparator());
        }
        s.append(String.format(Locale.ROOT, "echoed     %.1f packets/s, %.3f Mbit/s of payload%n", packetsPerSecond(),
                mbitPerSecond()));
        s.append(String.format(Locale.ROOT,
                "packets    %d sent, %d echoed, loss %.3f %%, %d duplicate, %d reordered, %d corrupt, %d malformed, "
                + "%d socket errors%n", tally.sent(), tally.received(), tally.lossPercent(), tally.duplicates(),
                tally.reordered(), tally.corrupt(), tally.malformed(), tally.socketErrors()));
        if (tally.refreshes() + tally.refreshFailures() > 0) {
            s.append(String.format(Locale.ROOT, "refresh    %d done, %d failed%n", tally.refreshes(),
                    tally.refreshFailures()));
        }
        if (tally.unsent() > 0) {
            s.append(String.format(Locale.ROOT, "behind     %d paced packets not sent: the socket's buffer was full "
                    + "(the server's backpressure on TCP, this machine's limit on UDP)%n", tally.unsent()));
        }
        Histogram h = tally.rtt();
        s.append("rtt (us)  ");
        for (int i = 0; i < PERCENTILES.length; i++) {
            s.append(String.format(Locale.ROOT, " %s %d", PERCENTILE_NAMES[i], percentile(h, PERCENTILES[i])));
        }
        s.append(String.format(Locale.ROOT, " max %d%n", h.getTotalCount() == 0 ? 0 : h.getMaxValue()));
        s.append(String.format(Locale.ROOT,
                "cpu        %.1f %% of one core (%d cores available), %.1f us per echoed packet%n",
                cpuPercent, cores, cpuMicrosPerPacket()));
        return s.toString();
    }

    /** The report as one JSON object on one line, for scripts; fractions with three decimals. */
    String json() {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            json(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    private void json(JsonGenerator g) throws IOException {
        Histogram h = tally.rtt();
        g.writeStartObject();
        g.writeStringField("server", config.server().getHostString() + ":" + config.server().getPort());
        g.writeStringField("transport", name(config.transport()));
        g.writeStringField("mode", name(config.mode()));
        g.writeStringField("io", io);
        g.writeStringField("peer", peer);
        g.writeNumberField("sessions", config.sessions());
        g.writeNumberField("payloadBytes", config.payload());
        g.writeFieldName("ratePerSession");
        if (config.isMaxRate()) {
            g.writeString("max");
        } else {
            g.writeNumber(config.ratePerSession());
        }
        g.writeNumberField("window", config.window());
        fraction(g, "durationSeconds", seconds());
        fraction(g, "warmupSeconds", config.warmup().toNanos() / 1e9);
        g.writeNumberField("ready", ready);
        g.writeNumberField("setupFailed", failed());
        g.writeObjectFieldStart("setupFailures");
        for (Map.Entry<String, Integer> e : failures.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        fraction(g, "setupSeconds", setupSeconds);
        fraction(g, "setupRate", setupRate());
        fraction(g, "packetsPerSecond", packetsPerSecond());
        fraction(g, "mbitPerSecond", mbitPerSecond());
        g.writeNumberField("sent", tally.sent());
        g.writeNumberField("echoed", tally.received());
        fraction(g, "lossPercent", tally.lossPercent());
        g.writeNumberField("duplicates", tally.duplicates());
        g.writeNumberField("reordered", tally.reordered());
        g.writeNumberField("corrupt", tally.corrupt());
        g.writeNumberField("malformed", tally.malformed());
        g.writeNumberField("socketErrors", tally.socketErrors());
        g.writeNumberField("unsent", tally.unsent());
        g.writeNumberField("givenUp", tally.givenUp());
        g.writeNumberField("refreshes", tally.refreshes());
        g.writeNumberField("refreshFailures", tally.refreshFailures());
        g.writeObjectFieldStart("rttMicros");
        for (int i = 0; i < PERCENTILES.length; i++) {
            g.writeNumberField(PERCENTILE_NAMES[i], percentile(h, PERCENTILES[i]));
        }
        g.writeNumberField("max", h.getTotalCount() == 0 ? 0 : h.getMaxValue());
        g.writeEndObject();
        fraction(g, "cpuPercent", cpuPercent);
        fraction(g, "cpuMicrosPerPacket", cpuMicrosPerPacket());
        g.writeNumberField("cores", cores);
        g.writeStringField("message", message);
        g.writeEndObject();
    }

    /** A measured fraction with three decimals, as the reports have always printed them. */
    private static void fraction(JsonGenerator g, String name, double value) throws IOException {
        g.writeFieldName(name);
        g.writeNumber(String.format(Locale.ROOT, "%.3f", value));
    }

    private String failureList() {
        return failures.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private static long percentile(Histogram h, double p) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p);
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String human(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Failures counted by code, in code order. */
    static SortedMap<String, Integer> count(Iterable<SetupOutcome> outcomes) {
        SortedMap<String, Integer> byCode = new java.util.TreeMap<>();
        for (SetupOutcome o : outcomes) {
            if (!o.isOk()) {
                byCode.merge(o.failure(), 1, Integer::sum);
            }
        }
        return byCode;
    }

    /** The one-line explanation for a run whose sessions all failed or partly failed, else {@code null}. */
    static String explain(Map<String, Integer> failures, int sessions) {
        if (failures.isEmpty()) {
            return null;
        }
        int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
        String hint;
        if (failures.containsKey("401") || failures.containsKey("431")) {
            hint = "the server refused the credentials: check --user, --password and --realm";
        } else if (failures.containsKey("403")) {
            hint = "the server refused the peer address (coturn needs --allow-loopback-peers for a loopback peer)";
        } else if (failures.containsKey(SetupOutcome.TIMEOUT) || failures.containsKey(SetupOutcome.CLOSED)
                || failures.containsKey(SetupOutcome.UNREACHABLE)) {
            hint = "no answer from the server: check --server and --transport";
        } else {
            hint = "the server answered with an error";
        }
        return failed + " of " + sessions + " sessions failed to set up: " + hint;
    }
}
