package dev.turnlab.server.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.attribute.ErrorCode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code NAME[=VALUE]}: what parses, its canonical form, what each bad value says, and the snapshot built from settings. */
class FaultSettingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "stall|stall", " silent-udp |silent-udp", "silent-tcp|silent-tcp", "reject-udp|reject-udp",
        "reject-tcp|reject-tcp", "stale-nonce|stale-nonce", "block-relay=IN|block-relay=in",
        "block-relay = both|block-relay=both", "advertise=203.0.113.7|advertise=203.0.113.7",
        "advertise=2001:db8::0:1|advertise=2001:db8:0:0:0:0:0:1", "answer=431|answer=431",
        "loss=5|loss=5", "loss=2.50|loss=2.5", "loss=100|loss=100", "delay=80|delay=80",
        "delay=80~20|delay=80~20", "delay=80~0|delay=80"})
    void parsesToACanonicalForm(String text, String canonical) {
        assertThat(FaultSetting.parse(text)).hasToString(canonical);
        assertThat(FaultSetting.parse(canonical)).isEqualTo(FaultSetting.parse(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "stall=1|fault: stall=1 (expected: stall without a value)",
        "loss|fault: loss (expected: loss=PERCENT, more than 0 and at most 100)",
        "loss=0|fault: loss=0 (expected: loss=PERCENT, more than 0 and at most 100)",
        "loss=150|fault: loss=150 (expected: loss=PERCENT, more than 0 and at most 100)",
        "loss=lots|fault: loss=lots (expected: loss=PERCENT, more than 0 and at most 100)",
        "delay=0|fault: delay=0 (expected: delay=MS or MS~JITTER, 1-60000 ms, the jitter at most the delay)",
        "delay=80~90|fault: delay=80~90 (expected: delay=MS or MS~JITTER, 1-60000 ms, the jitter at most the delay)",
        "delay=80ms|fault: delay=80ms (expected: delay=MS or MS~JITTER, 1-60000 ms, the jitter at most the delay)",
        "block-relay=up|fault: block-relay=up (expected: block-relay=in, out or both)",
        "advertise=example.com|fault: advertise=example.com (expected: advertise=ADDR, a unicast IP address literal)",
        "advertise=0.0.0.0|fault: advertise=0.0.0.0 (expected: advertise=ADDR, a unicast IP address literal)",
        "advertise=224.0.0.1|fault: advertise=224.0.0.1 (expected: advertise=ADDR, a unicast IP address literal)"})
    void aBadValueSaysWhatWasExpected(String text, String message) {
        assertThatThrownBy(() -> FaultSetting.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"answer=300", "answer=420", "answer=299", "answer=700", "answer=x"})
    void answerTakesOnlyCodesAnAllocateCanGetAlone(String text) {
        assertThatThrownBy(() -> FaultSetting.parse(text)).hasMessageStartingWith("fault: " + text
                + " (expected: answer=CODE, one of [400, 401, 403");
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> FaultSetting.parse("meltdown=1")).hasMessage("fault: meltdown (expected: one of "
                + "stall, silent-udp, silent-tcp, reject-udp, reject-tcp, block-relay=in|out|both, advertise=ADDR, "
                + "answer=CODE, loss=PERCENT, delay=MS[~JITTER], stale-nonce)");
    }

    @Test
    void answerCarriesTheReasonPhraseOfItsRfc() {
        assertThat(FaultSetting.parse("answer=431").errorCode()).isEqualTo(ErrorCode.INTEGRITY_CHECK_FAILURE);
        assertThat(FaultSetting.parse("answer=508").errorCode().reason()).isEqualTo("Insufficient Capacity");
        assertThat(FaultSetting.parse("answer=486").errorCode().reason()).isEqualTo("Allocation Quota Reached");
    }

    @Test
    void noneAnswersEveryQuestionOfTheDataPathWithNo() {
        Faults none = Faults.NONE;
        assertThat(none.relay()).isFalse();
        assertThat(none.stall() || none.silentUdp() || none.silentTcp() || none.staleNonce()).isFalse();
        assertThat(none.answer()).isNull();
        assertThat(none.drops(true) || none.drops(false)).isFalse();
        assertThat(none).hasToString("none");
    }

    @Test
    void withReplacesAValueAndWithoutTheLastFaultIsNone() {
        Faults f = Faults.NONE.with(FaultSetting.parse("loss=5")).with(FaultSetting.parse("stall"))
                .with(FaultSetting.parse("loss=10"));
        assertThat(f).hasToString("stall loss=10");
        assertThat(f.relay()).isTrue();
        assertThat(f.without(Fault.LOSS).relay()).isFalse();
        assertThat(f.without(Fault.LOSS).without(Fault.STALL)).isSameAs(Faults.NONE);
    }

    @Test
    void blockRelayDropsTheDirectionsItNamesAndLossOfAHundredDropsAll() {
        Faults in = Faults.NONE.with(FaultSetting.parse("block-relay=in"));
        assertThat(in.drops(false)).isTrue();
        assertThat(in.drops(true)).isFalse();
        Faults out = Faults.NONE.with(FaultSetting.parse("block-relay=out"));
        assertThat(out.drops(true)).isTrue();
        assertThat(out.drops(false)).isFalse();
        Faults lost = Faults.NONE.with(FaultSetting.parse("loss=100"));
        for (int i = 0; i < 100; i++) {
            assertThat(lost.drops(i % 2 == 0)).isTrue();
        }
        assertThat(lost.blocks(true)).isFalse();
    }

    @Test
    void jitterStaysWithinTheDelayPlusOrMinusTheJitter() {
        Faults f = Faults.NONE.with(FaultSetting.parse("delay=80~20"));
        for (int i = 0; i < 1000; i++) {
            assertThat(f.nextDelayMillis()).isBetween(60L, 100L);
        }
    }

    @Test
    void advertiseKeepsThePortAndActsOnItsOwnFamilyOnly() throws Exception {
        Faults f = Faults.NONE.with(FaultSetting.parse("advertise=203.0.113.7"));
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 24002);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 24002);
        assertThat(f.advertised(v4)).isEqualTo(new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 24002));
        assertThat(f.advertised(v6)).isEqualTo(v6);
    }

    @Test
    void theDelayBudgetRefusesWhatDoesNotFitAndCountsIt() {
        FaultSwitch faults = new FaultSwitch(1000);
        assertThat(faults.reserveDelayed(600)).isTrue();
        assertThat(faults.reserveDelayed(600)).isFalse();
        assertThat(faults.delayedBytes()).isEqualTo(600);
        assertThat(faults.report().dropped().get("delay_overflow")).isEqualTo(1);
        faults.releaseDelayed(600);
        assertThat(faults.reserveDelayed(1000)).isTrue();
    }

    @Test
    void commandsSwitchAllOrNone() {
        FaultSwitch faults = new FaultSwitch();
        FaultCommands.Result bad = FaultCommands.handle(faults, "POST", "/faults", "stall\ndelay=5~9\n", "test");
        assertThat(bad).isEqualTo(new FaultCommands.Result(400,
                "fault: delay=5~9 (expected: delay=MS or MS~JITTER, 1-60000 ms, the jitter at most the delay)\n"));
        assertThat(faults.current()).isSameAs(Faults.NONE);
        assertThat(FaultCommands.handle(faults, "POST", "/faults", "stall\r\ndelay=5~2\r\n", "test"))
                .isEqualTo(new FaultCommands.Result(200, "stall\ndelay=5~2\n"));
        assertThat(FaultCommands.handle(faults, "DELETE", "/faults/delay", "", "test"))
                .isEqualTo(new FaultCommands.Result(200, "stall\n"));
    }
}
