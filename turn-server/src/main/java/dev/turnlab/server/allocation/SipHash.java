package dev.turnlab.server.allocation;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012), a keyed 64-bit hash: without the 128-bit key, inputs that
 * collide cannot be chosen. Used where an attacker picks the input of a hash table's index.
 */
final class SipHash {

    private final long k0;
    private final long k1;

    /** A hash keyed by {@code k0} and {@code k1}, the key's two little-endian halves. */
    SipHash(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /** The SipHash-2-4 of {@code data[0..length)}. */
    long hash(byte[] data, int length) {
        long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L,
            k1 ^ 0x7465646279746573L};
        int end = length & ~7;
        for (int i = 0; i <= end; i += 8) {
            // The last word holds the remaining bytes and, in its top byte, the length's low byte.
            long m = i < end ? word(data, i, 8) : word(data, i, length - end) | (long) length << 56;
            v[3] ^= m;
            rounds(v, 2);
            v[0] ^= m;
        }
        v[2] ^= 0xff;
        rounds(v, 4);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    /** {@code count} SipRounds over the state {@code v}. */
    private static void rounds(long[] v, int count) {
        for (int r = 0; r < count; r++) {
            v[0] += v[1];
            v[1] = Long.rotateLeft(v[1], 13) ^ v[0];
            v[0] = Long.rotateLeft(v[0], 32);
            v[2] += v[3];
            v[3] = Long.rotateLeft(v[3], 16) ^ v[2];
            v[0] += v[3];
            v[3] = Long.rotateLeft(v[3], 21) ^ v[0];
            v[2] += v[1];
            v[1] = Long.rotateLeft(v[1], 17) ^ v[2];
            v[2] = Long.rotateLeft(v[2], 32);
        }
    }

    /** {@code count} bytes from {@code offset}, little-endian. */
    private static long word(byte[] data, int offset, int count) {
        long w = 0;
        for (int i = count - 1; i >= 0; i--) {
            w = w << 8 | data[offset + i] & 0xFF;
        }
        return w;
    }
}
