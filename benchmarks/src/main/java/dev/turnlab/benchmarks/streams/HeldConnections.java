package dev.turnlab.benchmarks.streams;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What TCP connections that never complete a request cost a TURN server, measured from outside: it starts
 * the server as a subprocess on loopback, reads its resident memory (VmRSS of /proc/PID/status) and
 * opens connections from 127.0.0.1-16 that either hold a partial frame or trickle one byte at a time.
 * Bounded in connections and time; JDK only, so it also runs as {@code java HeldConnections.java}.
 *
 * <pre>
 * java HeldConnections.java hold    CONNECTIONS BYTES [HOLD_S] -- java -jar turn-server.jar [options]
 * java HeldConnections.java trickle CONNECTIONS PERIOD_S MAX_S -- java -jar turn-server.jar [options]
 * </pre>
 *
 * The server command gets {@code --listen 127.0.0.1 --port P} appended. {@code hold} sends BYTES of a
 * STUN frame whose header announces 65,552 bytes on every connection, samples RSS for HOLD_S seconds
 * (default 3), closes them and samples again; {@code trickle} sends one byte of such a frame per connection every PERIOD_S seconds
 * and reports when the server closed each connection.
 */
public final class HeldConnections {

    private static final int SOURCES = 16;
    private static final int FRAME_LENGTH_FIELD = 65532;

    private HeldConnections() {
    }

    public static void main(String[] args) throws Exception {
        int dashes = Arrays.asList(args).indexOf("--");
        if (args.length < 3 || dashes < 0) {
            System.err.println("usage: hold N BYTES -- SERVER... | trickle N PERIOD_S MAX_S -- SERVER...");
            System.exit(2);
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(Arrays.asList(args).subList(dashes + 1, args.length));
        command.addAll(List.of("--listen", "127.0.0.1", "--port", Integer.toString(port)));
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(Path.of("/tmp/held-connections-server.log").toFile())).start();
        try {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
            awaitListening(target);
            Thread.sleep(2000);
            int n = Integer.parseInt(args[1]);
            if (args[0].equals("hold")) {
                int holdSeconds = args.length > 3 && !args[3].equals("--") ? Integer.parseInt(args[3]) : 3;
                hold(server.pid(), target, n, Integer.parseInt(args[2]), holdSeconds);
            } else {
                trickle(target, n, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            }
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
            server.destroyForcibly();
        }
    }

    private static void hold(long pid, InetSocketAddress target, int n, int bytes, int holdSeconds) throws Exception {
        long base = rssKiB(pid);
        report("before", base, base);
        List<SocketChannel> open = connect(target, n);
        long sentAt = System.nanoTime();
        for (SocketChannel c : open) {
            ByteBuffer frame = partialFrame(bytes);
            while (frame.hasRemaining()) {
                c.write(frame);
            }
        }
        report("sent " + n + " x " + bytes + " B in " + millisSince(sentAt) + " ms", rssKiB(pid), base);
        for (int s = 1; s <= holdSeconds; s++) {
            Thread.sleep(1000);
            if (s <= 3 || s % 5 == 0 || s == holdSeconds) {
                report("held +" + s + " s", rssKiB(pid), base);
            }
        }
        report("server closed " + closedByServer(open) + " of " + n + " so far", rssKiB(pid), base);
        for (SocketChannel c : open) {
            c.setOption(StandardSocketOptions.SO_LINGER, 0);
            c.close();
        }
        long closedAt = System.nanoTime();
        for (int s : new int[] {2, 5, 10, 20, 30}) {
            Thread.sleep(Math.max(0, TimeUnit.SECONDS.toMillis(s) - millisSince(closedAt)));
            report("closed by the client " + s + " s ago", rssKiB(pid), base);
        }
    }

    private static void trickle(InetSocketAddress target, int n, int periodSeconds, int maxSeconds) throws Exception {
        List<SocketChannel> open = connect(target, n);
        long start = System.nanoTime();
        long[] closedAt = new long[n];
        Arrays.fill(closedAt, -1);
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < n; i++) {
                open.get(i).configureBlocking(false);
                open.get(i).register(selector, SelectionKey.OP_READ, i);
            }
            ByteBuffer sink = ByteBuffer.allocate(4096);
            long nextSend = start;
            int sent = 0;
            int closed = 0;
            while (closed < n && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(maxSeconds)) {
                if (System.nanoTime() >= nextSend) {
                    for (int i = 0; i < n; i++) {
                        if (closedAt[i] < 0) {
                            try {
                                open.get(i).write(ByteBuffer.wrap(new byte[] {0}));
                            } catch (IOException e) {
                                closedAt[i] = System.nanoTime() - start;
                                closed++;
                            }
                        }
                    }
                    sent++;
                    nextSend = start + TimeUnit.SECONDS.toNanos((long) periodSeconds * sent);
                }
                selector.select(200);
                for (SelectionKey k : selector.selectedKeys()) {
                    int i = (Integer) k.attachment();
                    int read;
                    try {
                        sink.clear();
                        read = ((SocketChannel) k.channel()).read(sink);
                    } catch (IOException e) {
                        read = -1;
                    }
                    if (read < 0 && closedAt[i] < 0) {
                        closedAt[i] = System.nanoTime() - start;
                        closed++;
                        k.cancel();
                    }
                }
                selector.selectedKeys().clear();
            }
            long[] done = Arrays.stream(closedAt).filter(t -> t >= 0).sorted().toArray();
            System.out.printf("trickle %d connections, 1 byte every %d s: %d closed by the server within %d s, %d still open%n",
                    n, periodSeconds, done.length, maxSeconds, n - done.length);
            if (done.length > 0) {
                System.out.printf("closed after: first %.1f s, median %.1f s, last %.1f s%n", done[0] / 1e9,
                        done[done.length / 2] / 1e9, done[done.length - 1] / 1e9);
            }
        } finally {
            for (SocketChannel c : open) {
                c.close();
            }
        }
    }

    private static List<SocketChannel> connect(InetSocketAddress target, int n) throws IOException {
        List<SocketChannel> open = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SocketChannel c = SocketChannel.open();
            c.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (1 + i % SOURCES)}), 0));
            c.connect(target);
            open.add(c);
        }
        return open;
    }

    /** The first {@code bytes} of a Binding request that announces {@value #FRAME_LENGTH_FIELD} bytes of attributes. */
    private static ByteBuffer partialFrame(int bytes) {
        ByteBuffer b = ByteBuffer.allocate(bytes);
        b.putShort((short) 0x0001).putShort((short) FRAME_LENGTH_FIELD).putInt(0x2112A442);
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        b.put(id);
        b.position(0);
        return b;
    }

    /** How many of {@code open} the server has closed: a non-blocking read sees the end of the stream or a reset. */
    private static int closedByServer(List<SocketChannel> open) {
        int closed = 0;
        ByteBuffer sink = ByteBuffer.allocate(1024);
        for (SocketChannel c : open) {
            try {
                c.configureBlocking(false);
                sink.clear();
                if (c.read(sink) < 0) {
                    closed++;
                }
                c.configureBlocking(true);
            } catch (IOException e) {
                closed++;
            }
        }
        return closed;
    }

    private static void awaitListening(InetSocketAddress target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (SocketChannel c = SocketChannel.open(target)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("server not listening on " + target);
    }

    private static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    private static void report(String what, long rssKiB, long baseKiB) {
        System.out.printf("%-44s RSS %7.1f MiB  (%+7.1f MiB)%n", what, rssKiB / 1024.0, (rssKiB - baseKiB) / 1024.0);
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
