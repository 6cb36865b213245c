package dev.turnlab.benchmarks.compare;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Two panels side by side: goodput against offered load (linear) and p99 round trip against offered load
 * (logarithmic), one marker per level and server at the medians, whiskers from the lowest to the highest
 * round. Written with the JDK's StAX writer.
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
    private static final int LABEL_SIZE = 10;
    /** From a label's top to its baseline, in pixels. */
    private static final double LABEL_BASELINE = 8;
    /** A generous width per character of a 10 px sans-serif label: a wide estimate keeps labels apart. */
    private static final double LABEL_CHAR_WIDTH = 6.5;
    private static final double LABEL_HEIGHT = 11;
    /** Half a marker's width and the gap between it and its label. */
    private static final double MARKER_HALF = 5;
    private static final double GAP = 2;

    /** One marker: a level against one server. */
    record Point(String level, String server, Spread offered, Spread goodput, Spread p99) {
    }

    /** A rectangle in the plot's pixels, {@code (x, y)} its top left corner. */
    record Box(double x, double y, double width, double height) {

        /** Whether the two share any area (touching edges do not count). */
        boolean intersects(Box o) {
            return x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height;
        }

        /** Whether {@code o} lies wholly inside this box. */
        boolean contains(Box o) {
            return o.x >= x && o.x + o.width <= x + width && o.y >= y && o.y + o.height <= y + height;
        }
    }

    /** A point's label where the plot writes it: its text starts at the box's left edge. */
    record Label(Point point, String text, Box box) {
    }

    /** Where the points go: the points, the shared offered-load axis and each panel's vertical axis. */
    record Layout(List<Point> points, Axis x, Axis goodput, Axis p99) {
    }

    private SvgPlot() {
    }

    /** The points of the load levels ({@link Targets#LEVELS}) that have offered load, goodput and p99. */
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

    /** The points and the axes that hold them all. */
    static Layout layout(Comparison c) {
        List<Point> points = points(c);
        double maxX = points.stream().mapToDouble(p -> p.offered().max()).max().orElse(1);
        double maxGoodput = points.stream().mapToDouble(p -> p.goodput().max()).max().orElse(1);
        double xTop = niceCeiling(Math.max(maxX, maxGoodput));
        double minP99 = points.stream().mapToDouble(p -> p.p99().min()).filter(v -> v > 0).min().orElse(1);
        double maxP99 = points.stream().mapToDouble(p -> p.p99().max()).max().orElse(10);
        int logLow = (int) Math.floor(Math.log10(minP99));
        int logHigh = Math.max(logLow + 1, (int) Math.ceil(Math.log10(maxP99)));
        return new Layout(points, new Axis(0, xTop, false), new Axis(0, xTop, false),
                new Axis(Math.pow(10, logLow), Math.pow(10, logHigh), true));
    }

    static String render(Comparison c) {
        Layout layout = layout(c);
        StringWriter text = new StringWriter();
        try {
            Svg s = new Svg(XMLOutputFactory.newFactory().createXMLStreamWriter(text));
            s.out.writeStartElement("svg");
            s.out.writeDefaultNamespace("http://www.w3.org/2000/svg");
            s.attributes("width", WIDTH, "height", HEIGHT, "viewBox", "0 0 " + WIDTH + " " + HEIGHT,
                    "font-family", "sans-serif", "font-size", 12);
            s.out.writeCharacters("\n");
            s.empty("rect", "width", WIDTH, "height", HEIGHT, "fill", "white");
            s.text("turnlab (ours) against coturn: medians over the rounds, whiskers from lowest to highest",
                    "x", 20, "y", 24, "font-size", 15);
            legend(s);
            panel(s, "goodput (packets/s echoed)", layout, true);
            panel(s, "round trip p99 (µs, log scale)", layout, false);
            s.out.writeEndElement();
            s.out.writeCharacters("\n");
            s.out.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("SVG: " + e.getMessage(), e); // a StringWriter does not fail
        }
        return text.toString();
    }

    /**
     * The JDK's StAX writer with the shapes of this plot: one element per line, attributes given as name and
     * value pairs, a double with one decimal.
     */
    private record Svg(XMLStreamWriter out) {

        void empty(String name, Object... attributes) throws XMLStreamException {
            out.writeEmptyElement(name);
            attributes(attributes);
            out.writeCharacters("\n");
        }

        void text(String text, Object... attributes) throws XMLStreamException {
            out.writeStartElement("text");
            attributes(attributes);
            out.writeCharacters(text);
            out.writeEndElement();
            out.writeCharacters("\n");
        }

        void attributes(Object... nameValue) throws XMLStreamException {
            for (int i = 0; i < nameValue.length; i += 2) {
                Object v = nameValue[i + 1];
                out.writeAttribute((String) nameValue[i], v instanceof Double d ? String.format(Locale.ROOT, "%.1f", d)
                        : String.valueOf(v));
            }
        }
    }

    /** An axis from {@code low} to {@code high}, linear or logarithmic. */
    record Axis(double low, double high, boolean log) {
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

    private static void panel(Svg s, String title, Layout layout, boolean goodput) throws XMLStreamException {
        int left = left(goodput);
        Axis x = layout.x();
        Axis y = goodput ? layout.goodput() : layout.p99();
        int bottom = TOP + PLOT_HEIGHT;
        s.out().writeStartElement("g");
        s.out().writeCharacters("\n");
        s.text(title, "x", left, "y", TOP - 8);
        s.empty("rect", "x", left, "y", TOP, "width", PANEL, "height", PLOT_HEIGHT, "fill", "none", "stroke", "#444");
        for (double t : x.ticks()) {
            double px = left + x.fraction(t) * PANEL;
            s.empty("line", "x1", px, "y1", TOP, "x2", px, "y2", bottom, "stroke", "#ddd");
            s.text(label(t), "x", px, "y", bottom + 16, "text-anchor", "middle");
        }
        for (double t : y.ticks()) {
            double py = bottom - y.fraction(t) * PLOT_HEIGHT;
            s.empty("line", "x1", left, "y1", py, "x2", left + PANEL, "y2", py, "stroke", "#ddd");
            s.text(label(t), "x", left - 6, "y", py + 4, "text-anchor", "end");
        }
        s.text("offered load (packets/s sent in the window)", "x", left + PANEL / 2, "y", bottom + 36,
                "text-anchor", "middle");
        if (goodput) {
            // Goodput cannot exceed what was offered: the diagonal is the ceiling.
            s.empty("line", "x1", left, "y1", bottom, "x2", left + PANEL, "y2", TOP, "stroke", "#999",
                    "stroke-dasharray", "4 4");
        }
        for (Point p : layout.points()) {
            Spread v = goodput ? p.goodput() : p.p99();
            double px = px(layout, p, goodput);
            boolean ours = p.server().equals(Run.OURS);
            String colour = ours ? OURS_COLOUR : COTURN_COLOUR;
            s.empty("line", "x1", px, "y1", py(y, v.min()), "x2", px, "y2", py(y, v.max()), "stroke", colour);
            marker(s, ours, px, py(y, v.median()), colour);
        }
        for (Label l : labels(layout, goodput)) {
            s.text(l.text(), "x", l.box().x(), "y", l.box().y() + LABEL_BASELINE, "font-size", LABEL_SIZE, "fill",
                    l.point().server().equals(Run.OURS) ? OURS_COLOUR : COTURN_COLOUR);
        }
        s.out().writeEndElement();
        s.out().writeCharacters("\n");
    }

    private static int left(boolean goodput) {
        return goodput ? LEFT : LEFT + PANEL + 80;
    }

    private static double px(Layout layout, Point p, boolean goodput) {
        return left(goodput) + layout.x().fraction(p.offered().median()) * PANEL;
    }

    private static double py(Axis y, double value) {
        return TOP + PLOT_HEIGHT - y.fraction(value) * PLOT_HEIGHT;
    }

    /**
     * The labels of one panel, placed so that no two overlap and none covers a marker: each tries beside its
     * marker (ours to the left, coturn to the right, as the legend reads), then above and below it, then ever
     * further up and down, and takes the first place that is free and inside the panel (off the axes' own
     * labels); only if the panel has no such place left, the first free one outside it. Points overlap whenever two levels offer
     * about the same load with about the same result, as both servers do at a paced level.
     */
    static List<Label> labels(Layout layout, boolean goodput) {
        Axis y = goodput ? layout.goodput() : layout.p99();
        List<Box> taken = new ArrayList<>();
        for (Point p : layout.points()) {
            double cx = px(layout, p, goodput);
            double cy = py(y, (goodput ? p.goodput() : p.p99()).median());
            taken.add(new Box(cx - MARKER_HALF, cy - MARKER_HALF, 2 * MARKER_HALF, 2 * MARKER_HALF));
        }
        Box panel = new Box(left(goodput), TOP, PANEL, PLOT_HEIGHT);
        int rowsInPanel = 2 * (int) (PLOT_HEIGHT / LABEL_HEIGHT) + 2;
        List<Label> labels = new ArrayList<>();
        for (Point p : layout.points()) {
            double cx = px(layout, p, goodput);
            double cy = py(y, (goodput ? p.goodput() : p.p99()).median());
            double width = p.level().length() * LABEL_CHAR_WIDTH;
            boolean ours = p.server().equals(Run.OURS);
            double beside = ours ? cx - MARKER_HALF - GAP - width : cx + MARKER_HALF + GAP;
            double other = ours ? cx + MARKER_HALF + GAP : cx - MARKER_HALF - GAP - width;
            Box free = null;
            // Rows of label height above and below the marker, nearest first; the loop ends because only
            // finitely many boxes are taken, so far enough up or down a row is free.
            for (int step = 0; free == null; step++) {
                int row = (step + 1) / 2 * (step % 2 == 0 ? 1 : -1);
                double top = cy - LABEL_HEIGHT / 2 + row * LABEL_HEIGHT;
                for (double left : new double[] {beside, other, cx - width / 2}) {
                    Box candidate = new Box(left, top, width, LABEL_HEIGHT);
                    if ((step >= rowsInPanel || panel.contains(candidate))
                            && taken.stream().noneMatch(candidate::intersects)) {
                        free = candidate;
                        break;
                    }
                }
            }
            taken.add(free);
            labels.add(new Label(p, p.level(), free));
        }
        return labels;
    }

    private static void legend(Svg s) throws XMLStreamException {
        marker(s, true, 26, 44, OURS_COLOUR);
        s.text("ours (turnlab)", "x", 36, "y", 48);
        marker(s, false, 156, 44, COTURN_COLOUR);
        s.text("coturn", "x", 166, "y", 48);
    }

    /** Ours a circle, coturn a square, centred on ({@code x}, {@code y}). */
    private static void marker(Svg s, boolean ours, double x, double y, String colour) throws XMLStreamException {
        if (ours) {
            s.empty("circle", "cx", x, "cy", y, "r", 5, "fill", colour);
        } else {
            s.empty("rect", "x", x - 4.5, "y", y - 4.5, "width", 9, "height", 9, "fill", colour);
        }
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
}
