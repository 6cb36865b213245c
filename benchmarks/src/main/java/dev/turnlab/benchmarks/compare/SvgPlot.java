package dev.turnlab.benchmarks.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Two panels side by side: goodput against offered load (linear) and p99 round trip against offered load
 * (logarithmic), one marker per level and server at the medians, whiskers from the lowest to the highest
 * round.
 */
final class SvgPlot {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 460;
    private static final int PANEL = 400;
    private static final int LEFT = 80;
    private static final int TOP = 80;
    private static final int PLOT_HEIGHT = 310;
    private static final String OURS_COLOUR = "#1f77b4";
    private static final String COTURN_COLOUR = "#d95f02";

    /** One marker: a level against one server. */
    record Point(String level, String server, Spread offered, Spread goodput, Spread p99) {
    }

    private SvgPlot() {
    }

    /** The points of issue 5's levels ({@link Targets#LEVELS}) that have offered load, goodput and p99. */
    static List<Point> points(Comparison c) {
        List<Point> points = new ArrayList<>();
        for (String level : c.levels()) {
            if (!Targets.LEVELS.contains(level)) {
                continue;
            }
            for (String server : List.of(Run.OURS, Run.COTURN)) {
                Optional<Spread> offered = c.spread(level, server, Figure.OFFERED);
                Optional<Spread> goodput = c.spread(level, server, Figure.GOODPUT);
                Optional<Spread> p99 = c.spread(level, server, Figure.RTT_P99);
                if (offered.isPresent() && goodput.isPresent() && p99.isPresent()) {
                    points.add(new Point(level, server, offered.get(), goodput.get(), p99.get()));
                }
            }
        }
        return points;
    }

    static String render(Comparison c) {
        List<Point> points = points(c);
        double maxX = points.stream().mapToDouble(p -> p.offered().max()).max().orElse(1);
        double maxGoodput = points.stream().mapToDouble(p -> p.goodput().max()).max().orElse(1);
        double xTop = niceCeiling(Math.max(maxX, maxGoodput));
        double minP99 = points.stream().mapToDouble(p -> p.p99().min()).filter(v -> v > 0).min().orElse(1);
        double maxP99 = points.stream().mapToDouble(p -> p.p99().max()).max().orElse(10);
        int logLow = (int) Math.floor(Math.log10(minP99));
        int logHigh = Math.max(logLow + 1, (int) Math.ceil(Math.log10(maxP99)));

        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        s.append("<text x=\"20\" y=\"24\" font-size=\"15\">turnlab (ours) against coturn: medians over the rounds, "
                + "whiskers from lowest to highest</text>\n");
        legend(s);
        Axis x = new Axis(0, xTop, false);
        panel(s, LEFT, "goodput (packets/s echoed)", x, new Axis(0, xTop, false), points, true);
        panel(s, LEFT + PANEL + 80, "round trip p99 (µs, log scale)", x,
                new Axis(Math.pow(10, logLow), Math.pow(10, logHigh), true), points, false);
        s.append("</svg>\n");
        return s.toString();
    }

    private record Axis(double low, double high, boolean log) {
        double fraction(double v) {
            if (log) {
                double clamped = Math.max(v, low);
                return (Math.log10(clamped) - Math.log10(low)) / (Math.log10(high) - Math.log10(low));
            }
            return (v - low) / (high - low);
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (log) {
                for (double t = low; t <= high * 1.0001; t *= 10) {
                    ticks.add(t);
                }
            } else {
                double step = niceCeiling((high - low) / 5);
                for (int i = 0; low + i * step <= high * 1.0001 && i <= 20; i++) {
                    ticks.add(low + i * step);
                }
            }
            return ticks;
        }
    }

    private static void panel(StringBuilder s, int left, String title, Axis x, Axis y, List<Point> points,
            boolean goodput) {
        int bottom = TOP + PLOT_HEIGHT;
        s.append(String.format(Locale.ROOT, "<g>%n<text x=\"%d\" y=\"%d\">%s</text>%n", left, TOP - 8, escape(title)));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#444\"/>%n", left, TOP, PANEL, PLOT_HEIGHT));
        for (double t : x.ticks()) {
            double px = left + x.fraction(t) * PANEL;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, TOP, px, bottom, px,
                    bottom + 16, label(t)));
        }
        for (double t : y.ticks()) {
            double py = bottom - y.fraction(t) * PLOT_HEIGHT;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", left, py, left + PANEL, py,
                    left - 6, py + 4, label(t)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">offered load "
                + "(packets/s sent in the window)</text>%n", left + PANEL / 2, bottom + 36));
        if (goodput) {
            // Goodput cannot exceed what was offered: the diagonal is the ceiling.
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\" "
                    + "stroke-dasharray=\"4 4\"/>%n", left, bottom, left + PANEL, TOP));
        }
        List<String> levels = points.stream().map(Point::level).distinct().toList();
        for (Point p : points) {
            int stagger = 10 * (levels.indexOf(p.level()) % 3);
            Spread v = goodput ? p.goodput() : p.p99();
            double px = left + x.fraction(p.offered().median()) * PANEL;
            double py = bottom - y.fraction(v.median()) * PLOT_HEIGHT;
            double pyLow = bottom - y.fraction(v.min()) * PLOT_HEIGHT;
            double pyHigh = bottom - y.fraction(v.max()) * PLOT_HEIGHT;
            boolean ours = p.server().equals(Run.OURS);
            String colour = ours ? OURS_COLOUR : COTURN_COLOUR;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"%s\"/>%n", px, pyLow, px, pyHigh, colour));
            s.append(marker(ours, px, py, colour));
            // ours labelled to the left, coturn to the right, so that the two series' labels do not collide
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"%s\" "
                    + "text-anchor=\"%s\">%s</text>%n", ours ? px - 7 : px + 7, py + 4 - stagger, colour,
                    ours ? "end" : "start", escape(p.level())));
        }
        s.append("</g>\n");
    }

    private static void legend(StringBuilder s) {
        s.append(marker(true, 26, 44, OURS_COLOUR)).append("<text x=\"36\" y=\"48\">ours (turnlab)</text>\n");
        s.append(marker(false, 156, 44, COTURN_COLOUR)).append("<text x=\"166\" y=\"48\">coturn</text>\n");
    }

    private static String marker(boolean ours, double x, double y, String colour) {
        return ours
                ? String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>%n", x, y, colour)
                : String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"9\" height=\"9\" fill=\"%s\"/>%n",
                        x - 4.5, y - 4.5, colour);
    }

    /** The smallest of 1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten at or above v. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.5, 2, 3, 4, 5, 6, 8, 10}) {
            if (m * power >= v * 0.999_999) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String label(double v) {
        if (v >= 1_000_000) {
            return trim(v / 1e6) + "M";
        } else if (v >= 1000) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
