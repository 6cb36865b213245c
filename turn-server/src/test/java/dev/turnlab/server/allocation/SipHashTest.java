package dev.turnlab.server.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SipHash-2-4 against the reference vectors (key 00..0f, input 00 01 02 ...; the paper's Appendix A is length 15). */
class SipHashTest {

    private final SipHash sipHash = new SipHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);
    private final byte[] input = new byte[16];

    SipHashTest() {
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) i;
        }
    }

    @Test
    void matchesTheReferenceVectors() {
        assertThat(sipHash.hash(input, 0)).isEqualTo(0x726fdb47dd0e0e31L);
        assertThat(sipHash.hash(input, 7)).isEqualTo(0xab0200f58b01d137L);
        assertThat(sipHash.hash(input, 8)).isEqualTo(0x93f5f5799a932462L);
        assertThat(sipHash.hash(input, 15)).isEqualTo(0xa129ca6149be45e5L);
        assertThat(sipHash.hash(input, 16)).isEqualTo(0x3f2acc7f57c29bdbL);
    }
}
