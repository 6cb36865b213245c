package dev.turnlab.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void theMedianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
        Spread s = Spread.of(List.of(9.0, 1.0, 4.0));
        assertThat(s).isEqualTo(new Spread(4.0, 1.0, 9.0, 3));
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertThat(Spread.of(List.of(10.0, 2.0, 4.0, 8.0)).median()).isEqualTo(6.0);
    }

    @Test
    void oneValueIsItsOwnMedianAndRange() {
        assertThat(Spread.of(List.of(7.5))).isEqualTo(new Spread(7.5, 7.5, 7.5, 1));
    }

    @Test
    void noValuesHaveNoSpread() {
        assertThatThrownBy(() -> Spread.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRatioIsOfTheMediansAndUndefinedOverZero() {
        Spread ours = Spread.of(List.of(30.0, 20.0, 40.0));
        Spread theirs = Spread.of(List.of(10.0, 11.0, 9.0));
        assertThat(ours.ratioTo(theirs)).isEqualTo(3.0);
        assertThat(ours.ratioTo(Spread.of(List.of(0.0)))).isNaN();
    }

    @Test
    void rangesOverlapWhenTheyShareAValue() {
        Spread a = Spread.of(List.of(1.0, 3.0));
        assertThat(a.overlaps(Spread.of(List.of(3.0, 5.0)))).isTrue();
        assertThat(a.overlaps(Spread.of(List.of(3.5, 5.0)))).isFalse();
        assertThat(Spread.of(List.of(0.0, 9.0)).overlaps(a)).isTrue();
    }
}
