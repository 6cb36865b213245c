package dev.turnlab.codec;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One edit of an encoded message, as a fuzzer would make it: positions wrap around the message, so
 * any edit applies to any message, and jqwik shrinks a failing list of edits to a short one.
 */
public sealed interface Mutation {

    /** The edited copy of {@code message}; the argument is left as it was. */
    byte[] apply(byte[] message);

    /** Inverts one bit. */
    record FlipBit(int position, int bit) implements Mutation {
        @Override
        public byte[] apply(byte[] m) {
            byte[] b = m.clone();
            if (b.length > 0) {
                b[position % b.length] ^= (byte) (1 << bit);
            }
            return b;
        }
    }

    /** Overwrites one byte. */
    record SetByte(int position, byte value) implements Mutation {
        @Override
        public byte[] apply(byte[] m) {
            byte[] b = m.clone();
            if (b.length > 0) {
                b[position % b.length] = value;
            }
            return b;
        }
    }

    /** Keeps only the first bytes. */
    record Truncate(int keep) implements Mutation {
        @Override
        public byte[] apply(byte[] m) {
            return Arrays.copyOf(m, keep % (m.length + 1));
        }
    }

    /** Appends bytes. */
    record Extend(byte[] more) implements Mutation {
        @Override
        public byte[] apply(byte[] m) {
            byte[] b = Arrays.copyOf(m, m.length + more.length);
            System.arraycopy(more, 0, b, m.length, more.length);
            return b;
        }

        @Override
        public String toString() {
            return "Extend[" + Wire.hex(more) + "]";
        }
    }

    /** Writes the header's length field. */
    record SetMessageLength(int length) implements Mutation {
        @Override
        public byte[] apply(byte[] m) {
            return new SetShort(0, length).apply(m);
        }
    }

    /**
     * Writes a 16-bit value at a position 4k+2, where every attribute's length field sits (attributes
     * start on 4-byte boundaries); k = 0 is the header's length field.
     */
    record SetShort(int word, int value) implements Mutation {
        @Override
        public byte[] apply(byte[] m) {
            byte[] b = m.clone();
            int words = b.length / 4;
            if (words > 0) {
                int at = 4 * (word % words) + 2;
                b[at] = (byte) (value >>> 8);
                b[at + 1] = (byte) value;
            }
            return b;
        }
    }

    /** Applies the edits in order. */
    static byte[] applyAll(byte[] message, List<Mutation> mutations) {
        byte[] b = message;
        for (Mutation m : mutations) {
            b = m.apply(b);
        }
        return b;
    }

    /** Any one edit, length-field edits weighted as heavily as bit flips. */
    static Arbitrary<Mutation> any() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 0xFFFF)
                .edgeCases(e -> e.includeOnly(0, 1, 2, 3, 4, 0xFFFC, 0xFFFF));
        return Arbitraries.oneOf(
                Combinators.combine(position, Arbitraries.integers().between(0, 7)).as(FlipBit::new),
                Combinators.combine(position, Arbitraries.bytes()).as(SetByte::new),
                position.map(Truncate::new),
                StunArbitraries.bytes(1, 24).map(Extend::new),
                u16.map(SetMessageLength::new),
                Combinators.combine(position, u16).as(SetShort::new));
    }
}
