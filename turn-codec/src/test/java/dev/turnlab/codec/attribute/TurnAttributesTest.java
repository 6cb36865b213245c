package dev.turnlab.codec.attribute;

import static dev.turnlab.codec.Wire.assertAttribute;
import static dev.turnlab.codec.Wire.assertDecodes;
import static dev.turnlab.codec.Wire.assertMalformed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The TURN attributes of RFC 8656 §18.6-§18.13 and RFC 6062 §6.2.1 on the wire. */
class TurnAttributesTest {

    @Test
    void requestedAddressFamilyIsAFamilyByteAndThreeReservedBytes() {
        assertAttribute(RequestedAddressFamily.IPV4, "0017 0004 01 000000");
        assertAttribute(RequestedAddressFamily.IPV6, "0017 0004 02 000000");
    }

    @Test
    void reservedBitsAfterTheFamilyAreIgnored() {
        assertDecodes("0017 0004 02 ffffff", new RequestedAddressFamily(AddressFamily.IPV6));
    }

    @Test
    void additionalAddressFamilyHasTheSameLayout() {
        assertAttribute(new AdditionalAddressFamily(AddressFamily.IPV6), "8000 0004 02 000000");
    }

    @Test
    void anUnknownRequestedFamilyIsMalformed() {
        assertMalformed("0017 0004 03 000000",
                "REQUESTED-ADDRESS-FAMILY: family 0x03 (expected: 0x01 IPv4 or 0x02 IPv6)");
        assertMalformed("8000 0004 00 000000",
                "ADDITIONAL-ADDRESS-FAMILY: family 0x00 (expected: 0x01 IPv4 or 0x02 IPv6)");
    }

    @Test
    void aRequestedFamilyOfWrongLengthIsMalformed() {
        assertMalformed("0017 0001 01 000000", "REQUESTED-ADDRESS-FAMILY: 1 bytes (expected: 4)");
    }

    @Test
    void evenPortIsOneByteWithTheReserveBitOnTopThenThreeBytesOfPadding() {
        assertAttribute(EvenPort.RESERVE, "0018 0001 80 000000");
        assertAttribute(EvenPort.EVEN, "0018 0001 00 000000");
    }

    @Test
    void evenPortIgnoresTheSevenReservedBits() {
        assertDecodes("0018 0001 7f 000000", new EvenPort(false));
        assertDecodes("0018 0001 ff 000000", new EvenPort(true));
    }

    @Test
    void evenPortOfFourBytesIsMalformed() {
        assertMalformed("0018 0004 80000000", "EVEN-PORT: 4 bytes (expected: 1)");
    }

    @Test
    void dontFragmentHasNoValue() {
        assertAttribute(DontFragment.INSTANCE, "001a 0000");
        assertMalformed("001a 0004 00000000", "DONT-FRAGMENT: 4 bytes (expected: 0)");
    }

    @Test
    void reservationTokenIsEightOpaqueBytes() {
        assertAttribute(new ReservationToken(0x0123456789abcdefL), "0022 0008 0123456789abcdef");
        assertAttribute(new ReservationToken(0xfedcba9876543210L), "0022 0008 fedcba9876543210");
        assertMalformed("0022 0004 01234567", "RESERVATION-TOKEN: 4 bytes (expected: 8)");
    }

    @Test
    void addressErrorCodeIsFamilyReservedClassNumberReason() {
        // 440 = class 4, number 40 (0x28); the 28-byte reason needs no padding.
        assertAttribute(AddressErrorCode.of(AddressFamily.IPV6, ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED),
                "8001 0020 02 00 04 28 416464726573732046616d696c79206e6f7420537570706f72746564");
        // 508 = class 5, number 8; 4 + 21 bytes, padded with 3.
        assertAttribute(new AddressErrorCode(AddressFamily.IPV4, 508, "Insufficient Capacity"),
                "8001 0019 01 00 05 08 496e73756666696369656e74204361706163697479 000000");
    }

    @Test
    void addressErrorCodeMustHaveAValidClassFamilyAndLength() {
        assertMalformed("8001 0004 01 00 07 28", "ADDRESS-ERROR-CODE: class 7 number 40 (expected: class 3-6, number 0-99)");
        assertMalformed("8001 0004 01 00 04 64", "ADDRESS-ERROR-CODE: class 4 number 100 (expected: class 3-6, number 0-99)");
        assertMalformed("8001 0004 00 00 04 28",
                "ADDRESS-ERROR-CODE: family 0x00 (expected: 0x01 IPv4 or 0x02 IPv6)");
        assertMalformed("8001 0002 0100 0000", "ADDRESS-ERROR-CODE: 2 bytes (expected: at least 4)");
    }

    @Test
    void addressErrorCodeRefusesCodesOutsideTheErrorRange() {
        assertThatThrownBy(() -> new AddressErrorCode(AddressFamily.IPV4, 700, "Nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ADDRESS-ERROR-CODE: code 700 (expected: 300-699)");
        assertThatThrownBy(() -> new AddressErrorCode(null, 440, "x")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void icmpIsTwoReservedBytesTypeCodeAndErrorData() {
        // Destination unreachable (3), fragmentation needed (4), next-hop MTU 1400 = 0x578 (RFC 1191).
        assertAttribute(new Icmp(3, 4, 1400), "8004 0008 0000 03 04 00000578");
        assertAttribute(new Icmp(255, 255, -1), "8004 0008 0000 ff ff ffffffff");
        assertDecodes("8004 0008 ffff 01 00 00000000", new Icmp(1, 0, 0));
        assertMalformed("8004 0004 0000 0304", "ICMP: 4 bytes (expected: 8)");
    }

    @Test
    void icmpRefusesTypeOrCodeBeyondAByte() {
        assertThatThrownBy(() -> new Icmp(256, 0, 0)).hasMessage("ICMP: type 256 (expected: 0-255)");
        assertThatThrownBy(() -> new Icmp(3, -1, 0)).hasMessage("ICMP: code -1 (expected: 0-255)");
    }

    @Test
    void connectionIdIsAnUnsigned32BitNumber() {
        assertAttribute(new ConnectionId(1), "002a 0004 00000001");
        assertAttribute(new ConnectionId(-1), "002a 0004 ffffffff");
        assertThat(new ConnectionId(-1).unsignedId()).isEqualTo(4_294_967_295L);
        assertThat(new ConnectionId(-1)).hasToString("ConnectionId[4294967295]");
        assertMalformed("002a 0008 00000000 00000001", "CONNECTION-ID: 8 bytes (expected: 4)");
    }
}
