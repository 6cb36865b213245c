package dev.turnlab.codec.attribute;

import static dev.turnlab.codec.Wire.assertAttribute;
import static dev.turnlab.codec.Wire.assertMalformed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.Wire;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** UNKNOWN-ATTRIBUTES and ALTERNATE-DOMAIN (RFC 8489 §14.13, §14.16), ERROR-CODE errors, PASSWORD (RFC 3489 §11.2.7). */
class StunAttributesTest {

    @Test
    void unknownAttributesIsAListOf16BitCodesPaddedToFour() {
        assertAttribute(UnknownAttributes.of(0x0033, 0x7f00), "000a 0004 0033 7f00");
        assertAttribute(UnknownAttributes.of(0x0033), "000a 0002 0033 0000");
        assertAttribute(UnknownAttributes.of(0x0033, 0x0034, 0x0035), "000a 0006 0033 0034 0035 0000");
        assertAttribute(new UnknownAttributes(List.of()), "000a 0000");
    }

    @Test
    void unknownAttributesOfOddLengthIsMalformed() {
        assertMalformed("000a 0003 003300 00", "UNKNOWN-ATTRIBUTES: 3 bytes (expected: a multiple of 2)");
    }

    @Test
    void unknownAttributesKeepsItsOwnCopyOfTheCodes() {
        List<Integer> codes = new ArrayList<>(List.of(0x0031));
        UnknownAttributes attribute = new UnknownAttributes(codes);
        codes.add(0x0032);
        assertThat(attribute.codes()).containsExactly(0x0031);
        assertThat(attribute).hasToString("UnknownAttributes[0x0031]");
        assertThatThrownBy(() -> UnknownAttributes.of(0x10000))
                .hasMessage("UNKNOWN-ATTRIBUTES: code 65536 (expected: 0-0xFFFF)");
    }

    @Test
    void a420ListsTheUnknownComprehensionRequiredCodes() {
        // RFC 8489 §6.3.1.1: the codes of unknown comprehension-required attributes go into the 420.
        StunMessage request = Wire.decode(Wire.bindingRequest("7ff0 0000 fff0 0000 0031 0004 01020304"));
        StunMessage error = StunMessage.errorResponse(request, ErrorCode.UNKNOWN_ATTRIBUTE)
                .add(new UnknownAttributes(request.unknownComprehensionRequired())).build();
        assertThat(Wire.encode(error)).isEqualTo(Wire.hex(Wire.bytes(Wire.message(0x0111, Wire.TID,
                "0009 0015 0000 04 14 556e6b6e6f776e20417474726962757465 000000"
                        + "000a 0004 7ff0 0031"))));
        assertThat(Wire.decode(Wire.encode(error))).isEqualTo(error);
        assertThat(error.method()).isEqualTo(Method.BINDING);
        assertThat(error.stunClass()).isEqualTo(StunClass.ERROR_RESPONSE);
    }

    @Test
    void alternateDomainIsUtf8Text() {
        assertAttribute(new AlternateDomain("turn.example.org"), "8003 0010 7475726e2e6578616d706c652e6f7267");
        assertAttribute(new AlternateDomain("example.org"), "8003 000b 6578616d706c652e6f7267 00");
    }

    @Test
    void errorCodeOutsideClassesThreeToSixIsMalformed() {
        assertMalformed("0009 0004 0000 02 00", "ERROR-CODE: class 2 number 0 (expected: class 3-6, number 0-99)");
        assertMalformed("0009 0004 0000 04 64", "ERROR-CODE: class 4 number 100 (expected: class 3-6, number 0-99)");
        assertMalformed("0009 0002 0000 0000", "ERROR-CODE: 2 bytes (expected: at least 4)");
    }

    @Test
    void passwordIsUtf8TextAndStaysOutOfToString() {
        assertAttribute(new Password("p4ssw0rd"), "0007 0008 7034737377307264");
        assertThat(new Password("p4ssw0rd").toString()).doesNotContain("p4ssw0rd");
    }
}
