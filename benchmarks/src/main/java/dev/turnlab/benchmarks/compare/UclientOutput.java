package dev.turnlab.benchmarks.compare;

import java.util.EnumMap;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The summary coturn's {@code turnutils_uclient} prints at its end, read into figures. */
final class UclientOutput {

    private static final Pattern TOTALS =
            Pattern.compile("start_mclient: tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)");
    private static final Pattern LOST = Pattern.compile("Total lost packets (\\d+) \\(([0-9.]+)%\\)");
    private static final Pattern RTT =
            Pattern.compile("Average round trip delay ([0-9.]+) ms; min = (\\d+) ms, max = (\\d+) ms");
    private static final Pattern JITTER = Pattern.compile("Average jitter ([0-9.]+) ms");

    private UclientOutput() {
    }

    /**
     * The figures found in the output: messages sent and received, lost percent, average and largest round
     * trip, average jitter (all in the whole milliseconds it measures). A run that did not finish (no
     * allocation, killed by {@code timeout}) has none of them.
     */
    static Map<Figure, Double> figures(String output) {
        Map<Figure, Double> figures = new EnumMap<>(Figure.class);
        MatchResult m = last(TOTALS, output);
        if (m != null) {
            figures.put(Figure.UCLIENT_SENT, Double.valueOf(m.group(1)));
            figures.put(Figure.UCLIENT_RECEIVED, Double.valueOf(m.group(2)));
        }
        m = last(LOST, output);
        if (m != null) {
            figures.put(Figure.UCLIENT_LOSS, Double.valueOf(m.group(2)));
        }
        m = last(RTT, output);
        if (m != null) {
            figures.put(Figure.UCLIENT_RTT, Double.valueOf(m.group(1)));
            figures.put(Figure.UCLIENT_RTT_MAX, Double.valueOf(m.group(3)));
        }
        m = last(JITTER, output);
        if (m != null) {
            figures.put(Figure.UCLIENT_JITTER, Double.valueOf(m.group(1)));
        }
        return figures;
    }

    /** The last match: the summary comes after the per-second progress lines. */
    private static MatchResult last(Pattern p, String text) {
        Matcher m = p.matcher(text);
        MatchResult found = null;
        while (m.find()) {
            found = m.toMatchResult();
        }
        return found;
    }
}
