package dev.turnlab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedule of RFC 8489 §6.2.1 and §6.2.2. */
class RetransmissionTest {

    @Test
    void udpDefaultsSendAtTheRfcTimesAndGiveUpAt39Point5Seconds() {
        // RFC 8489 §6.2.1: "requests would be sent at times 0 ms, 500 ms, 1500 ms, 3500 ms, 7500 ms,
        // 15500 ms, and 31500 ms. If the client has not received a response after 39500 ms, ..."
        Retransmission udp = Retransmission.udp();

        assertThat(udp.transmissions()).containsExactly(ms(0), ms(500), ms(1500), ms(3500), ms(7500), ms(15500), ms(31500));
        assertThat(udp.timeout()).isEqualTo(ms(39_500));
    }

    @Test
    void reliableTransportsSendOnceAndWaitTi() {
        Retransmission tcp = Retransmission.defaultFor(Transport.TCP);

        assertThat(tcp.transmissions()).containsExactly(Duration.ZERO);
        assertThat(tcp.timeout()).isEqualTo(ms(39_500));
    }

    @Test
    void otherRtoRcAndRmScaleTheSchedule() {
        Retransmission udp = Retransmission.udp(ms(100), 3, 4);

        assertThat(udp.transmissions()).containsExactly(ms(0), ms(100), ms(300));
        assertThat(udp.timeout()).isEqualTo(ms(700));
    }

    @Test
    void withinDropsTransmissionsAtOrAfterTheLimit() {
        Retransmission capped = Retransmission.udp().within(ms(3500));

        assertThat(capped.transmissions()).isEqualTo(List.of(ms(0), ms(500), ms(1500)));
        assertThat(capped.timeout()).isEqualTo(ms(3500));
        assertThat(Retransmission.udp().within(Duration.ofMinutes(1))).isEqualTo(Retransmission.udp());
    }

    @Test
    void nonsenseIsRefusedWithTheRange() {
        assertThatThrownBy(() -> Retransmission.udp(Duration.ZERO, 7, 16)).hasMessage("rto: PT0S (expected: > 0)");
        assertThatThrownBy(() -> Retransmission.udp(ms(500), 0, 16)).hasMessage("rc: 0 (expected: 1-30)");
        assertThatThrownBy(() -> Retransmission.reliable(ms(-1))).hasMessageStartingWith("ti: ");
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
