package dev.turnlab.benchmarks.capture;

import dev.turnlab.codec.capture.CaptureConfig;
import dev.turnlab.codec.capture.PacketCapture;
import dev.turnlab.codec.capture.Pcap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code --capture} costs the thread that records a relayed datagram: encoding the record
 * (IP and UDP headers, checksum over the payload) in the thread's buffer and appending it under the
 * capture's lock to a 256 KiB buffer that is written to the file when full, rotating at 100 MB. Sampled,
 * so the tail shows how long an event loop waits when its append is the one that writes to the disk;
 * two threads show the lock shared by event loops; {@code encodeOnly} is the tail this machine adds by itself
 * (descheduled threads, safepoints). At full speed the disk cannot keep up and records are dropped, as
 * the teardown line reports: the measure is of the recording thread, not of the disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class PacketCaptureBenchmark {

    static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.1", 50000);
    static final InetSocketAddress RELAY = new InetSocketAddress("198.51.100.7", 24000);

    /** The payload of a relayed datagram: 160 bytes is 20 ms of G.711 audio. */
    @Param({"160", "1200"})
    public int payload;

    private Path dir;
    private PacketCapture capture;
    private ByteBuf datagram;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("capture-bench");
        capture = PacketCapture.open(CaptureConfig.of(dir.resolve("bench.pcap")).withFileSize(100_000_000L).withFiles(2));
        datagram = Unpooled.directBuffer(payload).writeZero(payload);
    }

    @TearDown
    public void tearDown() throws IOException {
        System.out.printf("%n%d records taken, %d dropped (the disk fell behind)%n", capture.records(), capture.dropped());
        capture.close();
        datagram.release();
        for (int i = 0; i < 2; i++) {
            Files.deleteIfExists(CaptureConfig.of(dir.resolve("bench.pcap")).part(i));
        }
        Files.deleteIfExists(dir);
    }

    /** The machine's noise floor for the tail: the same record encoded into a buffer of the thread, never appended. */
    @Benchmark
    @Threads(1)
    public ByteBuf encodeOnly(Scratch scratch) {
        ByteBuf out = scratch.buffer.clear();
        Pcap.udp(out, 0, CLIENT, RELAY, datagram, 0, payload);
        return out;
    }

    /** A record buffer per thread. */
    @State(Scope.Thread)
    public static class Scratch {
        final ByteBuf buffer = Unpooled.wrappedBuffer(new byte[Pcap.MAX_RECORD]);
    }

    /** One relayed datagram recorded by one event loop. */
    @Benchmark
    @Threads(1)
    public void udp() {
        capture.udp(CLIENT, RELAY, datagram);
    }

    /** The same with two event loops recording into one capture. */
    @Benchmark
    @Threads(2)
    public void udpTwoThreads() {
        capture.udp(CLIENT, RELAY, datagram);
    }
}
