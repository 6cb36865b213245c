package dev.turnlab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    @Test
    void inOrderNumbersAreAllNew() {
        SequenceTracker t = new SequenceTracker();
        for (long s = 0; s < 200_000; s++) {
            assertThat(t.accept(s)).isTrue();
        }
        assertThat(t.duplicates()).isZero();
        assertThat(t.reordered()).isZero();
    }

    @Test
    void aRepeatIsADuplicateAndALateOneIsReordered() {
        SequenceTracker t = new SequenceTracker();
        assertThat(t.accept(0)).isTrue();
        assertThat(t.accept(2)).isTrue();
        assertThat(t.accept(2)).isFalse();
        assertThat(t.accept(1)).isTrue();
        assertThat(t.accept(1)).isFalse();
        assertThat(t.duplicates()).isEqualTo(2);
        assertThat(t.reordered()).isEqualTo(1);
    }

    @Test
    void theRingForgetsWhatFellOutOfTheWindowButNotWhatIsInside() {
        SequenceTracker t = new SequenceTracker();
        long far = SequenceTracker.WINDOW + 10L;
        assertThat(t.accept(5)).isTrue();
        assertThat(t.accept(far)).isTrue();
        // 5 is more than a window behind: too late to tell, not counted.
        assertThat(t.accept(5)).isFalse();
        assertThat(t.tooLate()).isEqualTo(1);
        // 11 is inside the window and was never seen, although its bit was used by an older number.
        assertThat(t.accept(far - SequenceTracker.WINDOW + 1)).isTrue();
        assertThat(t.duplicates()).isZero();
    }

    @Test
    void aJumpLongerThanTheWindowClearsTheRing() {
        SequenceTracker t = new SequenceTracker();
        assertThat(t.accept(3)).isTrue();
        long jump = 3 * (long) SequenceTracker.WINDOW + 3;
        assertThat(t.accept(jump)).isTrue();
        assertThat(t.accept(jump - SequenceTracker.WINDOW + 1)).isTrue();
        assertThat(t.duplicates()).isZero();
    }
}
