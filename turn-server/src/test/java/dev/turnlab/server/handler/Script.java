package dev.turnlab.server.handler;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fuzzer's bytes read as what clients and peers send a server: steps of one control byte, a 16-bit length
 * and that many bytes (fewer at the end of the input). The control byte says who sends (bits 0-1: one of four
 * clients, or with bit 3 one of four peers to a relay socket), whether the harness signs a STUN message as the
 * test user with the nonce last given (bit 2), whether the next relay bind fails (bit 4), and how many minutes
 * pass first (bits 5-7). The corpus holds real sessions in this form; {@link #encode} writes them.
 */
record Script(List<Step> steps) {

    /** Most steps one input plays: an input is fuzzed in microseconds, and a long one teaches nothing more. */
    static final int MAX_STEPS = 64;

    /** One datagram or chunk of a stream, with what happens around it. */
    record Step(int control, byte[] bytes) {
        int endpoint() {
            return control & 0x03;
        }

        boolean resign() {
            return (control & 0x04) != 0;
        }

        boolean fromPeer() {
            return (control & 0x08) != 0;
        }

        boolean failBind() {
            return (control & 0x10) != 0;
        }

        int minutesLater() {
            return control >>> 5;
        }
    }

    /** Reads the steps of {@code input}. */
    static Script parse(byte[] input) {
        List<Step> steps = new ArrayList<>();
        int at = 0;
        while (at + 3 <= input.length && steps.size() < MAX_STEPS) {
            int control = input[at] & 0xFF;
            int length = Math.min((input[at + 1] & 0xFF) << 8 | input[at + 2] & 0xFF, input.length - at - 3);
            steps.add(new Step(control, Arrays.copyOfRange(input, at + 3, at + 3 + length)));
            at += 3 + length;
        }
        return new Script(steps);
    }

    /** The bytes that {@link #parse} reads as these steps. */
    byte[] encode() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Step s : steps) {
            out.write(s.control());
            out.write(s.bytes().length >>> 8);
            out.write(s.bytes().length);
            out.writeBytes(s.bytes());
        }
        return out.toByteArray();
    }

    /** Client {@code i}: 127.0.0.1, ports 40000-40003. */
    static InetSocketAddress client(int i) {
        return new InetSocketAddress("127.0.0.1", 40000 + i);
    }

    /**
     * Peer {@code i}: 0 is coturn's echo peer at 127.0.0.1:3480, as in the recorded sessions of the corpus; the
     * others are at 127.0.0.3-127.0.0.5, so that permissions (by IP address) tell them apart.
     */
    static InetSocketAddress peer(int i) {
        return i == 0 ? new InetSocketAddress("127.0.0.1", 3480) : new InetSocketAddress("127.0.0." + (2 + i), 60000 + i);
    }
}
