package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.testing.tools.RecordingAllocator;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IsStunTest {

    private final RecordingAllocator alloc = new RecordingAllocator();

    @AfterEach
    void everyBufferReleased() {
        alloc.assertAllReleased();
    }

    private boolean isStun(String hex, boolean requireCookie) {
        ByteBuf buf = alloc.hex(hex);
        try {
            return StunMessageCodec.isStun(buf, requireCookie);
        } finally {
            buf.release();
        }
    }

    @Test
    void aBindingRequestIsStunWithOrWithoutTheCookieCheck() {
        String request = "00010000" + "2112a442" + "0102030405060708090a0b0c";
        assertThat(isStun(request, true)).isTrue();
        assertThat(isStun(request, false)).isTrue();
    }

    @Test
    void anRfc3489RequestIsStunOnlyWithoutTheCookieCheck() {
        String classic = "00010000" + "0102030405060708090a0b0c0d0e0f10";
        assertThat(isStun(classic, false)).isTrue();
        assertThat(isStun(classic, true)).isFalse();
    }

    @Test
    void aDtlsRecordIsNotStunAlthoughItsTopBitsAreZero() {
        // RFC 7983 §7: DTLS 20-63 (here a DTLS 1.2 handshake record, content type 22), ZRTP 16-19.
        // Type, version, epoch, sequence number, length; then a ClientHello's handshake header.
        String dtls = "16" + "fefd" + "0000" + "000000000000" + "0123" + "01" + "000117" + "0000" + "000000" + "000117";
        assertThat(isStun(dtls, false)).isFalse();
        assertThat(isStun("10" + "000000" + "5a525450" + "0102030405060708090a0b0c", false)).isFalse();
    }

    @Test
    void theFirstByteOfStunIs0To3() {
        for (int first = 0; first < 64; first++) {
            String header = String.format("%02x", first) + "010000" + "2112a442" + "0102030405060708090a0b0c";
            assertThat(isStun(header, true)).as("first byte %d", first).isEqualTo(first <= 3);
        }
    }
}
