package dev.turnlab.codec.attribute;

import static dev.turnlab.codec.Wire.assertAttribute;
import static dev.turnlab.codec.Wire.assertDecodes;
import static dev.turnlab.codec.Wire.assertMalformed;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The NAT behaviour discovery attributes of RFC 5780 §7 on the wire (the addresses are in AddressAttributesTest). */
class NatBehaviorAttributesTest {

    @Test
    void changeRequestFlagsAreAForIpAndBForPort() {
        assertAttribute(new ChangeRequest(true, true), "0003 0004 00000006");
        assertAttribute(new ChangeRequest(true, false), "0003 0004 00000004");
        assertAttribute(new ChangeRequest(false, true), "0003 0004 00000002");
        assertAttribute(new ChangeRequest(false, false), "0003 0004 00000000");
    }

    @Test
    void changeRequestIgnoresTheOtherBits() {
        assertDecodes("0003 0004 fffffff9", new ChangeRequest(false, false));
    }

    @Test
    void changeRequestOfTwoBytesIsMalformed() {
        assertMalformed("0003 0002 0006 0000", "CHANGE-REQUEST: 2 bytes (expected: 4)");
    }

    @Test
    void responsePortIsAPortAndTwoBytesOfPadding() {
        assertAttribute(new ResponsePort(3478), "0027 0004 0d96 0000");
        assertAttribute(new ResponsePort(65535), "0027 0004 ffff 0000");
        assertMalformed("0027 0002 0d96 0000", "RESPONSE-PORT: 2 bytes (expected: 4)");
        assertThatThrownBy(() -> new ResponsePort(65536)).hasMessage("RESPONSE-PORT: 65536 (expected: 0-65535)");
    }

    @Test
    void paddingIsItsLengthInZeros() {
        assertAttribute(new Padding(8), "0026 0008 00000000 00000000");
        assertAttribute(new Padding(5), "0026 0005 0000000000 000000");
        assertAttribute(new Padding(0), "0026 0000");
    }

    @Test
    void paddingContentIsIgnored() {
        assertDecodes("0026 0006 deadbeefcafe 0000", new Padding(6));
    }

    @Test
    void paddingLengthMustFitTheLengthField() {
        assertThatThrownBy(() -> new Padding(-1)).hasMessage("PADDING: -1 bytes (expected: 0-65535)");
        assertThatThrownBy(() -> new Padding(65536)).hasMessage("PADDING: 65536 bytes (expected: 0-65535)");
    }
}
