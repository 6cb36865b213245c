package dev.turnlab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class TallyTest {

    private static Tally tally(long base, long... rtts) {
        Histogram h = new Histogram(SessionStats.MAX_RTT_MICROS, 3);
        for (long r : rtts) {
            h.recordValue(r);
        }
        return new Tally(base, base + 1, base + 2, base + 3, base + 4, base + 5, base + 6, base + 7, base + 8,
                base + 9, base + 10, base + 11, h);
    }

    @Test
    void theSumOfManyIsTheFoldOfPlus() {
        List<Tally> tallies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            tallies.add(tally(i, 100 + i, 2_000 + 7 * i, 50_000));
        }
        Tally folded = tallies.stream().reduce(Tally.empty(), Tally::plus);
        Tally summed = Tally.sum(tallies);
        assertThat(summed).usingRecursiveComparison().ignoringFields("rtt").isEqualTo(folded);
        assertThat(summed.rtt()).isEqualTo(folded.rtt());
        assertThat(summed.rtt().getTotalCount()).isEqualTo(150);
        assertThat(summed.sent()).isEqualTo(49 * 50 / 2);
    }

    @Test
    void theSumOfNoneIsEmpty() {
        Tally none = Tally.sum(List.of());
        assertThat(none.sent()).isZero();
        assertThat(none.rtt().getTotalCount()).isZero();
    }
}
