package dev.turnlab.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

class UclientOutputTest {

    /** The end of what turnutils_uclient 4.6.1 printed for 5 sessions through coturn on this machine. */
    static final String OUTPUT = """
            11: : start_mclient: msz=5, tot_send_msgs=1439, tot_recv_msgs=1438, tot_send_bytes ~ 230240, tot_recv_bytes ~ 230080
            12: : start_mclient: msz=5, tot_send_msgs=1489, tot_recv_msgs=1488, tot_send_bytes ~ 238240, tot_recv_bytes ~ 238080
            12: : start_mclient: tot_send_msgs=1500, tot_recv_msgs=1497
            12: : start_mclient: tot_send_bytes ~ 240000, tot_recv_bytes ~ 240000
            12: : Total transmit time is 12
            12: : Total lost packets 3 (0.200000%), total send dropped 0 (0.000000%)
            12: : Average round trip delay 0.005333 ms; min = 0 ms, max = 4 ms
            12: : Average jitter 0.864667 ms; min = 0 ms, max = 7 ms
            """;

    @Test
    void theSummaryLinesGiveTheFigures() {
        assertThat(UclientOutput.figures(OUTPUT)).containsOnly(
                entry(Figure.UCLIENT_SENT, 1500.0),
                entry(Figure.UCLIENT_RECEIVED, 1497.0),
                entry(Figure.UCLIENT_LOSS, 0.2),
                entry(Figure.UCLIENT_RTT, 0.005333),
                entry(Figure.UCLIENT_RTT_MAX, 4.0),
                entry(Figure.UCLIENT_JITTER, 0.864667));
    }

    @Test
    void aRunThatNeverAllocatedHasNoFigures() {
        assertThat(UclientOutput.figures("0: : Cannot complete Allocation\n")).isEmpty();
        assertThat(UclientOutput.figures("")).isEmpty();
    }
}
