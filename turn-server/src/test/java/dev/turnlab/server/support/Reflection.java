package dev.turnlab.server.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Measures reflection over UDP: sends the smallest request of each kind that draws an answer without
 * credentials, one at a time, and compares the size of the answer with the size of the request
 * (RFC 8489 §16.1.3: a server should not amplify). The requests are written byte by byte, not with the
 * codec, so that they are the same for any server; {@link #main} measures another server (coturn).
 */
public final class Reflection {

    /** One request kind: the bytes sent and received; an answer of 0 bytes means none came. */
    public record Probe(String kind, int request, int answer) {
        /** Answer bytes per request byte. */
        public double ratio() {
            return (double) answer / request;
        }
    }

    /** The probes and their figures. */
    public record Result(List<Probe> probes) {
        /** The largest ratio of any kind. */
        public double worst() {
            return probes.stream().mapToDouble(Probe::ratio).max().orElse(0);
        }

        /** All answer bytes over all request bytes. */
        public double aggregate() {
            return (double) probes.stream().mapToInt(Probe::answer).sum()
                    / probes.stream().mapToInt(Probe::request).sum();
        }

        /** A table for the test log and reports. */
        public String table() {
            StringBuilder b = new StringBuilder();
            for (Probe p : probes) {
                b.append(String.format(Locale.ROOT, "%-28s %4d -> %4d  %.2fx%n", p.kind(), p.request(), p.answer(), p.ratio()));
            }
            return b.append(String.format(Locale.ROOT, "worst %.2fx, aggregate %.2fx%n", worst(), aggregate())).toString();
        }
    }

    private static final int MAGIC_COOKIE = 0x2112A442;

    private Reflection() {
    }

    /** Sends every probe to {@code server} from a fresh socket on loopback and collects the answers. */
    public static Result measure(InetSocketAddress server) throws IOException {
        List<Probe> probes = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(2000);
            probe(socket, server, probes, "binding", request(0x0001, new byte[0]));
            probe(socket, server, probes, "binding + fingerprint", withFingerprint(0x0001));
            // An unknown comprehension-required attribute (0x002F is unassigned): 420 (RFC 8489 §6.3.1.1).
            probe(socket, server, probes, "binding + unknown attribute", request(0x0001, attribute(0x002F, 0)));
            probe(socket, server, probes, "allocate", request(0x0003, new byte[0]));
            probe(socket, server, probes, "refresh", request(0x0004, new byte[0]));
            probe(socket, server, probes, "create_permission", request(0x0008, new byte[0]));
            probe(socket, server, probes, "channel_bind", request(0x0009, new byte[0]));
            // Method 0x0002 (the Shared Secret request of RFC 3489, gone since RFC 5389).
            probe(socket, server, probes, "unknown method", request(0x0002, new byte[0]));
            // REQUESTED-TRANSPORT with no value: malformed.
            probe(socket, server, probes, "malformed attribute", request(0x0003, attribute(0x0019, 0)));
            // MESSAGE-INTEGRITY of zeros without USERNAME, REALM, NONCE (RFC 8489 §9.2.4 bullet 2).
            probe(socket, server, probes, "integrity without username", request(0x0003, attribute(0x0008, 20)));
        }
        return new Result(probes);
    }

    private static void probe(DatagramSocket socket, InetSocketAddress server, List<Probe> probes, String kind,
            byte[] request) throws IOException {
        socket.send(new DatagramPacket(request, request.length, server));
        byte[] buffer = new byte[1500];
        DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                socket.receive(answer);
            } catch (SocketTimeoutException e) {
                break;
            }
            // Only the answer to this request counts (same transaction id).
            if (answer.getLength() >= 20 && java.util.Arrays.equals(buffer, 8, 20, request, 8, 20)) {
                probes.add(new Probe(kind, request.length, answer.getLength()));
                return;
            }
        }
        probes.add(new Probe(kind, request.length, 0));
    }

    private static byte[] attribute(int type, int length) {
        byte[] a = new byte[4 + (length + 3 & ~3)];
        a[0] = (byte) (type >>> 8);
        a[1] = (byte) type;
        a[3] = (byte) length;
        return a;
    }

    private static byte[] request(int method, byte[] body) {
        byte[] m = new byte[20 + body.length];
        m[0] = (byte) (method >>> 8);
        m[1] = (byte) method;
        m[2] = (byte) (body.length >>> 8);
        m[3] = (byte) body.length;
        m[4] = (byte) (MAGIC_COOKIE >>> 24);
        m[5] = (byte) (MAGIC_COOKIE >>> 16);
        m[6] = (byte) (MAGIC_COOKIE >>> 8);
        m[7] = (byte) MAGIC_COOKIE;
        byte[] tid = new byte[12];
        ThreadLocalRandom.current().nextBytes(tid);
        System.arraycopy(tid, 0, m, 8, 12);
        System.arraycopy(body, 0, m, 20, body.length);
        return m;
    }

    /** A request whose only attribute is FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message XOR 0x5354554E. */
    private static byte[] withFingerprint(int method) {
        byte[] m = request(method, attribute(0x8028, 4));
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(m, 0, 20);
        int value = (int) crc.getValue() ^ 0x5354554E;
        m[24] = (byte) (value >>> 24);
        m[25] = (byte) (value >>> 16);
        m[26] = (byte) (value >>> 8);
        m[27] = (byte) value;
        return m;
    }

    /** Measures the server at {@code host port} (for coturn on loopback) and prints the table. */
    public static void main(String[] args) throws IOException {
        System.out.print(measure(new InetSocketAddress(args[0], Integer.parseInt(args[1]))).table());
    }
}
