package dev.turnlab.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SvgPlotTest {

    private static Run run(String json) {
        return Run.of(RunTest.read(json), null);
    }

    /**
     * Every load level but {@code max} against both servers with the same outcome: eight markers on one spot
     * in each panel, well inside it ({@code max}, four times the load, stretches the axes).
     */
    private static Comparison crowded() {
        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            for (String level : Targets.LEVELS) {
                for (String server : List.of(Run.OURS, Run.COTURN)) {
                    double sent = level.equals("max") ? 200_000 : 50_000;
                    runs.add(run(RunFiles.load(round, server, level, 100, "50", sent, sent,
                            level.equals("max") ? 3_000 : 900, 40, 9.5)));
                }
            }
        }
        return new Comparison(runs);
    }

    /** As a paced level often comes out: both servers echo all, one p99 a little above the other's. */
    private static Comparison nearlyTogether() {
        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            runs.add(run(RunFiles.paced(round, Run.OURS, 49_990, 1_100, 40)));
            runs.add(run(RunFiles.paced(round, Run.COTURN, 50_000, 1_000, 30)));
            runs.add(run(RunFiles.load(round, Run.OURS, "overload", 20, "5000", 50_500, 49_000, 1_200, 90, 9.5)));
            runs.add(run(RunFiles.load(round, Run.COTURN, "overload", 20, "5000", 50_400, 49_100, 1_150, 90, 9.5)));
        }
        return new Comparison(runs);
    }

    private static void assertApart(List<SvgPlot.Label> labels) {
        for (int i = 0; i < labels.size(); i++) {
            for (int j = i + 1; j < labels.size(); j++) {
                SvgPlot.Label a = labels.get(i);
                SvgPlot.Label b = labels.get(j);
                assertThat(a.box().intersects(b.box())).as("%s overlaps %s", a, b).isFalse();
            }
        }
    }

    @Test
    void labelsOfMarkersOnTheSameSpotDoNotOverlapInEitherPanel() {
        SvgPlot.Layout layout = SvgPlot.layout(crowded());
        assertThat(layout.points()).hasSize(10);
        for (boolean goodput : new boolean[] {true, false}) {
            List<SvgPlot.Label> labels = SvgPlot.labels(layout, goodput);
            assertThat(labels).extracting(SvgPlot.Label::text)
                    .containsExactlyElementsOf(layout.points().stream().map(SvgPlot.Point::level).toList());
            assertApart(labels);
        }
    }

    @Test
    void labelsOfNearbyMarkersDoNotOverlap() {
        SvgPlot.Layout layout = SvgPlot.layout(nearlyTogether());
        assertApart(SvgPlot.labels(layout, true));
        assertApart(SvgPlot.labels(layout, false));
    }

    @Test
    void theFirstTwoLabelsOnASpotSitEitherSideOfItOursLeftAsInTheLegend() {
        SvgPlot.Layout layout = SvgPlot.layout(crowded());
        List<SvgPlot.Label> labels = SvgPlot.labels(layout, true);
        SvgPlot.Box ours = labels.get(0).box();
        SvgPlot.Box coturn = labels.get(1).box();
        assertThat(labels.get(0).point().server()).isEqualTo(Run.OURS);
        assertThat(labels.get(1).point().server()).isEqualTo(Run.COTURN);
        assertThat(ours.y()).isEqualTo(coturn.y());
        assertThat(ours.x() + ours.width()).isLessThan(coturn.x());
    }

    @Test
    void boxesThatOnlyTouchDoNotIntersect() {
        SvgPlot.Box a = new SvgPlot.Box(0, 0, 10, 10);
        assertThat(a.intersects(new SvgPlot.Box(10, 0, 5, 5))).isFalse();
        assertThat(a.intersects(new SvgPlot.Box(0, 10, 5, 5))).isFalse();
        assertThat(a.intersects(new SvgPlot.Box(9, 9, 5, 5))).isTrue();
        assertThat(a.intersects(new SvgPlot.Box(2, 2, 1, 1))).isTrue();
        assertThat(a.contains(new SvgPlot.Box(2, 2, 1, 1))).isTrue();
        assertThat(a.contains(new SvgPlot.Box(9, 9, 5, 5))).isFalse();
    }

    @Test
    void labelsStayInsideTheirPanelWhereThereIsRoom() {
        // paced sits at the panels' left edge and the overload p99 near the top: their labels go inwards.
        SvgPlot.Layout layout = SvgPlot.layout(nearlyTogether());
        SvgPlot.Box goodputPanel = new SvgPlot.Box(80, 80, 400, 310);
        SvgPlot.Box p99Panel = new SvgPlot.Box(80 + 400 + 80, 80, 400, 310);
        assertThat(SvgPlot.labels(layout, true)).allSatisfy(l -> assertThat(goodputPanel.contains(l.box())).isTrue());
        assertThat(SvgPlot.labels(layout, false)).allSatisfy(l -> assertThat(p99Panel.contains(l.box())).isTrue());
    }
}
