package dev.turnlab.codec.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.XorPeerAddress;
import dev.turnlab.testing.tools.Tshark;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures as Wireshark reads them: STUN and ChannelData over UDP (IPv4 and IPv6) and over a TCP flow
 * whose messages are split across and packed into segments, decoded by tshark without a malformed
 * packet; rotation that keeps at most N files, each a capture of its own.
 */
class PacketCaptureTest {

    static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 50000);
    static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 3479);
    static final InetSocketAddress CLIENT6 = new InetSocketAddress("::1", 50001);
    static final InetSocketAddress SERVER6 = new InetSocketAddress("::1", 3479);
    static final List<Integer> STUN_PORTS = List.of(3479);

    @TempDir
    Path dir;

    @Test
    void stunOverUdpAndTcpDecodesWithoutAMalformedPacket() throws Exception {
        assumeTrue(Tshark.available(), Tshark.MISSING);
        Path file = dir.resolve("turn.pcap");
        try (PacketCapture capture = PacketCapture.open(CaptureConfig.of(file))) {
            ByteBuf binding = stun(StunMessage.request(Method.BINDING).build());
            capture.udp(CLIENT, SERVER, binding);
            capture.udp(CLIENT6, SERVER6, binding);
            ByteBuf channelData = Unpooled.wrappedBuffer(new byte[] {0x40, 0x00, 0x00, 0x03, 'a', 'b', 'c'});
            capture.udp(SERVER, CLIENT, channelData);

            TcpFlow flow = capture.tcp(CLIENT, SERVER);
            ByteBuf send = stun(StunMessage.indication(Method.SEND)
                    .add(new XorPeerAddress(new InetSocketAddress("127.0.0.2", 9)), new Data(new byte[100])).build());
            flow.data(true, send.slice(0, 30));
            flow.data(true, send.slice(30, send.readableBytes() - 30));
            // One segment holding a whole STUN message and padded ChannelData (RFC 8656 §12.5).
            ByteBuf both = Unpooled.wrappedBuffer(binding.retainedDuplicate(),
                    Unpooled.wrappedBuffer(new byte[] {0x40, 0x01, 0x00, 0x03, 'x', 'y', 'z', 0}));
            flow.data(false, both);
            flow.close();
            release(binding, channelData, send, both);
        }

        assertThat(Tshark.count(file, STUN_PORTS, "_ws.malformed || _ws.expert.severity >= error")).isZero();
        assertThat(Tshark.count(file, STUN_PORTS, "udp && stun.type == 0x0001")).isEqualTo(2);
        assertThat(Tshark.count(file, STUN_PORTS, "ipv6 && udp")).isEqualTo(1);
        assertThat(Tshark.count(file, STUN_PORTS, "udp && stun.channel == 0x4000")).isEqualTo(1);
        assertThat(Tshark.count(file, STUN_PORTS, "tcp && stun.type == 0x0016")).isEqualTo(1);
        assertThat(Tshark.count(file, STUN_PORTS, "tcp && stun.type == 0x0001")).isEqualTo(1);
        assertThat(Tshark.count(file, STUN_PORTS, "tcp && stun.channel == 0x4001")).isEqualTo(1);
        assertThat(Tshark.count(file, STUN_PORTS, "tcp.flags.syn == 1")).isEqualTo(2);
        assertThat(Tshark.count(file, STUN_PORTS, "tcp.flags.fin == 1")).isEqualTo(2);
        assertThat(Tshark.count(file, STUN_PORTS, "tcp.analysis.flags")).isZero();
    }

    @Test
    void rotationKeepsAtMostTheGivenNumberOfFilesEachAPcapOfItsOwn() throws Exception {
        assumeTrue(Tshark.available(), Tshark.MISSING);
        Path file = dir.resolve("turn.pcap");
        Files.writeString(dir.resolve("turn.2.pcap"), "left by an earlier capture");
        Files.writeString(dir.resolve("turn.7.pcap"), "not one of ours: beyond the kept files");
        int files;
        try (PacketCapture capture = PacketCapture.open(CaptureConfig.of(file).withFileSize(1024).withFiles(3))) {
            assertThat(dir.resolve("turn.2.pcap")).doesNotExist();
            ByteBuf payload = Unpooled.wrappedBuffer(new byte[200]);
            for (int i = 0; i < 40; i++) {
                capture.udp(CLIENT, new InetSocketAddress("127.0.0.1", 40000 + i), payload);
            }
            payload.release();
            files = capture.files();
        }

        // 244-byte records, four to a 1024-byte file after its 24-byte header: 40 records make ten files.
        assertThat(files).isEqualTo(10);
        assertThat(dir.resolve("turn.3.pcap")).doesNotExist();
        assertThat(dir.resolve("turn.7.pcap")).exists();
        int newest = 40000 + 39;
        for (int part = 0; part < 3; part++) {
            Path p = CaptureConfig.of(file).part(part);
            assertThat(Files.size(p)).isLessThanOrEqualTo(1024);
            assertThat(Tshark.count(p, STUN_PORTS, "_ws.malformed || _ws.expert.severity >= error")).isZero();
            List<String[]> ports = Tshark.fields(p, STUN_PORTS, "udp", "udp.dstport");
            assertThat(ports).hasSize(4);
            assertThat(Integer.parseInt(ports.get(3)[0])).isEqualTo(newest - 4 * part);
        }
    }

    @Test
    void aRecordLargerThanTheCapGetsAFileOfItsOwn() throws IOException {
        Path file = dir.resolve("big.pcap");
        try (PacketCapture capture = PacketCapture.open(CaptureConfig.of(file).withFileSize(1024).withFiles(2))) {
            ByteBuf payload = Unpooled.wrappedBuffer(new byte[2000]);
            capture.udp(CLIENT, SERVER, payload);
            capture.udp(CLIENT, SERVER, payload);
            payload.release();
            assertThat(capture.files()).isEqualTo(2);
            assertThat(capture.records()).isEqualTo(2);
        }
        assertThat(Files.size(file)).isEqualTo(24 + 16 + 20 + 8 + 2000);
        assertThat(Files.size(dir.resolve("big.1.pcap"))).isEqualTo(24 + 16 + 20 + 8 + 2000);
    }

    @Test
    void recordsReachTheFileWithinAboutASecondWithoutClosing() throws Exception {
        Path file = dir.resolve("live.pcap");
        try (PacketCapture capture = PacketCapture.open(CaptureConfig.of(file))) {
            capture.udp(CLIENT, SERVER, new byte[] {1, 2, 3}, 0, 3);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (Files.size(file) == Pcap.FILE_HEADER_LENGTH && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Files.size(file)).isEqualTo(Pcap.FILE_HEADER_LENGTH + 16 + 20 + 8 + 3);
        }
    }

    /**
     * A disk that stops taking data, played by a named pipe nobody reads: recording goes on without
     * waiting, past 8 MiB behind it drops and counts, and once the pipe is read again every record taken
     * arrives, whole.
     */
    @Test
    void aStalledDiskNeverBlocksTheRecorderWhichDropsAndCounts() throws Exception {
        Path fifo = dir.resolve("stalled.pcap");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo is not available: " + e.getMessage());
            return;
        }
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        CountDownLatch drain = new CountDownLatch(1);
        CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                drain.await();
                return in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        int datagrams = 10_000;
        int record = 16 + 20 + 8 + 1000;
        PacketCapture capture = PacketCapture.open(CaptureConfig.of(fifo));
        try {
            ByteBuf payload = Unpooled.wrappedBuffer(new byte[1000]);
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = 0; i < datagrams; i++) {
                    capture.udp(CLIENT, SERVER, payload);
                }
            });
            payload.release();
            assertThat(capture.dropped()).isPositive();
            assertThat(capture.records() + capture.dropped()).isEqualTo(datagrams);
            assertThat(capture.records() * record).isLessThanOrEqualTo(9L << 20);
        } finally {
            drain.countDown();
            capture.close();
        }
        assertThat(read.get(60, TimeUnit.SECONDS))
                .isEqualTo(Pcap.FILE_HEADER_LENGTH + capture.records() * record);
    }

    @Test
    void aFileThatCannotBeCreatedFailsTheOpen() {
        assertThatThrownBy(() -> PacketCapture.open(CaptureConfig.of(dir.resolve("missing/turn.pcap"))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void recordsAfterCloseAreIgnored() throws IOException {
        Path file = dir.resolve("closed.pcap");
        PacketCapture capture = PacketCapture.open(CaptureConfig.of(file));
        capture.close();
        capture.udp(CLIENT, SERVER, new byte[] {1}, 0, 1);
        capture.tcp(CLIENT, SERVER).close();
        assertThat(capture.records()).isZero();
        assertThat(Files.size(file)).isEqualTo(Pcap.FILE_HEADER_LENGTH);
    }

    @Test
    void partsAreNumberedBeforeTheExtension() {
        assertThat(CaptureConfig.of(Path.of("/tmp/turn.pcap")).part(0)).isEqualTo(Path.of("/tmp/turn.pcap"));
        assertThat(CaptureConfig.of(Path.of("/tmp/turn.pcap")).part(2)).isEqualTo(Path.of("/tmp/turn.2.pcap"));
        assertThat(CaptureConfig.of(Path.of("turn")).part(1)).isEqualTo(Path.of("turn.1"));
        assertThat(CaptureConfig.of(Path.of(".hidden")).part(1)).isEqualTo(Path.of(".hidden.1"));
    }

    @Test
    void sizesReadAsTcpdumpCountsThem() {
        assertThat(CaptureConfig.parseSize("4096")).isEqualTo(4096);
        assertThat(CaptureConfig.parseSize("100MB")).isEqualTo(100_000_000L);
        assertThat(CaptureConfig.parseSize("100m")).isEqualTo(100_000_000L);
        assertThat(CaptureConfig.parseSize("64KiB")).isEqualTo(65_536);
        assertThat(CaptureConfig.parseSize("2 GiB")).isEqualTo(2L << 30);
        assertThatThrownBy(() -> CaptureConfig.parseSize("lots")).hasMessageContaining("100MB");
        assertThatThrownBy(() -> CaptureConfig.parseSize("-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CaptureConfig.parseSize("999999999999999GiB")).hasMessageContaining("at most");
        assertThatThrownBy(() -> CaptureConfig.of(Path.of("x")).withFileSize(100)).hasMessageContaining("1024");
        assertThatThrownBy(() -> CaptureConfig.of(Path.of("x")).withFiles(0)).hasMessageContaining("1-1000");
    }

    private static ByteBuf stun(StunMessage message) {
        ByteBuf buf = Unpooled.buffer();
        StunMessageCodec.encode(message, buf);
        return buf;
    }

    private static void release(ByteBuf... buffers) {
        for (ByteBuf b : buffers) {
            b.release();
        }
    }
}
