package dev.turnlab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClosedLoopTest {

    private static final long TIMEOUT = 500;

    private final SequenceTracker echoes = new SequenceTracker();
    private final ClosedLoop loop = new ClosedLoop(4, TIMEOUT, echoes::seen);

    private void fill(long now) {
        while (loop.hasRoom()) {
            loop.onSent(now);
        }
    }

    private void echo(long sequence) {
        if (echoes.accept(sequence)) {
            loop.onEcho(sequence);
        }
    }

    @Test
    void theWindowBoundsWhatIsInFlightAndEachEchoFreesOneSlot() {
        fill(0);
        assertThat(loop.inFlight()).isEqualTo(4);
        assertThat(loop.hasRoom()).isFalse();
        echo(0);
        assertThat(loop.hasRoom()).isTrue();
        assertThat(loop.onSent(1)).isEqualTo(4);
        assertThat(loop.hasRoom()).isFalse();
    }

    @Test
    void aDuplicateEchoFreesNothing() {
        fill(0);
        echo(1);
        echo(1);
        assertThat(loop.inFlight()).isEqualTo(3);
    }

    @Test
    void aLostProbeIsGivenUpAfterTheTimeoutSoTheWindowDoesNotShrink() {
        fill(0);
        echo(1);
        echo(2);
        echo(3);
        loop.expire(TIMEOUT - 1);
        assertThat(loop.inFlight()).isEqualTo(1);
        loop.expire(TIMEOUT);
        assertThat(loop.inFlight()).isZero();
        assertThat(loop.givenUp()).isEqualTo(1);
    }

    @Test
    void aLateEchoOfAGivenUpProbeFreesNoSecondSlot() {
        fill(0);
        loop.expire(TIMEOUT);
        assertThat(loop.givenUp()).isEqualTo(4);
        fill(TIMEOUT);
        echo(0);
        assertThat(loop.inFlight()).isEqualTo(4);
        echo(4);
        assertThat(loop.inFlight()).isEqualTo(3);
    }

    @Test
    void aProbeFarBehindTheNewestIsGivenUpWhateverItsAge() {
        loop.onSent(0); // probe 0 never comes back
        for (int i = 1; i <= ClosedLoop.REORDER_DEPTH; i++) {
            long s = loop.onSent(0);
            echo(s);
        }
        assertThat(loop.givenUp()).isEqualTo(1);
        assertThat(loop.inFlight()).isZero();
    }
}
