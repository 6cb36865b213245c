package dev.turnlab.server.admin;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4 for tests: it rejects any line a Prometheus
 * server would reject, and also what our own rules forbid (a sample without HELP and TYPE before it,
 * a family declared twice, a counter not ending in {@code _total}, a name without {@code turnlab_} (or
 * the Java client's {@code process_}, {@code jvm_}), a series twice). A histogram's samples are its
 * {@code _bucket}, {@code _sum} and {@code _count} series. Samples are kept by series, {@code name{label="value",...}}, as written.
 */
final class PrometheusExposition {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME.pattern() + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME.pattern() + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME.pattern() + ")(\\{(.*)\\})? (\\S+)");

    private final Map<String, Double> samples = new LinkedHashMap<>();
    private final Map<String, String> types = new HashMap<>();

    private PrometheusExposition() {
    }

    /** Parses {@code text}, throwing {@link IllegalArgumentException} with the line at the first fault. */
    static PrometheusExposition parse(String text) {
        PrometheusExposition p = new PrometheusExposition();
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        Set<String> helped = new HashSet<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                if (!helped.add(m.group(1))) {
                    throw fault(n, line, "HELP given twice");
                }
            } else if ((m = TYPE.matcher(line)).matches()) {
                String name = m.group(1);
                if (!helped.contains(name) || p.types.put(name, m.group(2)) != null) {
                    throw fault(n, line, "TYPE without HELP before it, or given twice");
                }
                if (!name.startsWith("turnlab_") && !name.startsWith("process_") && !name.startsWith("jvm_")) {
                    throw fault(n, line, "name without the turnlab_ prefix (or the Java client's process_, jvm_)");
                }
                if (m.group(2).equals("counter") != name.endsWith("_total")) {
                    throw fault(n, line, "counters, and only counters, end in _total");
                }
            } else if (line.startsWith("#")) {
                throw fault(n, line, "a comment that is neither HELP nor TYPE");
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                if (family(p.types, name) == null) {
                    throw fault(n, line, "a sample whose metric has no HELP and TYPE before it");
                }
                if (m.group(3) != null) {
                    checkLabels(n, line, m.group(3));
                }
                double value;
                try {
                    value = Double.parseDouble(m.group(4));
                } catch (NumberFormatException e) {
                    throw fault(n, line, "not a number");
                }
                String series = name + (m.group(2) == null ? "" : m.group(2));
                if (p.samples.put(series, value) != null) {
                    throw fault(n, line, "the same series twice");
                }
            } else {
                throw fault(n, line, "not a sample line");
            }
        }
        return p;
    }

    /**
     * The family of sample {@code name}: itself, or for a histogram's {@code _bucket}, {@code _sum} and
     * {@code _count} (a summary's last two) the name before the suffix; null for none declared.
     */
    private static String family(Map<String, String> types, String name) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket")) {
                    return base;
                }
            }
        }
        return null;
    }

    private static void checkLabels(int n, String line, String labels) {
        Set<String> names = new HashSet<>();
        int at = 0;
        Matcher m = LABEL.matcher(labels);
        while (at < labels.length()) {
            if (!m.find(at) || m.start() != at) {
                throw fault(n, line, "bad label at " + at);
            }
            if (!names.add(m.group(1))) {
                throw fault(n, line, "label given twice");
            }
            at = m.end();
            if (at < labels.length()) {
                if (labels.charAt(at) != ',') {
                    throw fault(n, line, "labels not separated by a comma");
                }
                at++;
            }
        }
    }

    private static IllegalArgumentException fault(int n, String line, String why) {
        return new IllegalArgumentException("line " + n + ": " + why + ": " + line);
    }

    /** The value of {@code series} as written, for example {@code turnlab_requests_total{method="allocate"}}. */
    double value(String series) {
        Double v = samples.get(series);
        if (v == null) {
            throw new AssertionError("no series " + series + " in " + samples.keySet());
        }
        return v;
    }

    /** The TYPE of each family. */
    Map<String, String> types() {
        return types;
    }

    /** Every series and its value. */
    Map<String, Double> samples() {
        return samples;
    }
}
