package dev.turnlab.codec.capture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A packet capture in progress: UDP datagrams and TCP flows ({@link #tcp}) recorded as pcap files that
 * Wireshark and tshark read. Any thread may record: each record is encoded in a buffer of the calling
 * thread, then appended whole under one lock, into a 256 KiB buffer that reaches the disk when full, at
 * least once a second, and on {@link #close()}. Recording never throws: if the disk fails, the capture
 * logs one warning and stops, and the traffic it was watching goes on.
 */
public final class PacketCapture implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PacketCapture.class);
    private static final long FLUSH_MILLIS = 1000;

    /** One record's worth of room per thread; records are copied out of it under the lock. */
    private static final FastThreadLocal<ByteBuf> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected ByteBuf initialValue() {
            return Unpooled.wrappedBuffer(new byte[Pcap.MAX_RECORD]);
        }
    };

    private final CaptureConfig config;
    private final PcapFiles files;
    private final ScheduledExecutorService flusher;
    private final long startMicros = System.currentTimeMillis() * 1000;
    private final long startNanos = System.nanoTime();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile boolean stopped;

    private PacketCapture(CaptureConfig config) throws IOException {
        this.config = config;
        this.files = new PcapFiles(config);
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pcap-flush " + config.file().getFileName());
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Creates (or replaces) {@code config.file()} and starts recording; fails if it cannot be written. */
    public static PacketCapture open(CaptureConfig config) throws IOException {
        PacketCapture capture = new PacketCapture(config);
        LOG.info("packet capture to {}{}", config.file(), config.rotates()
                ? " (rotating at " + config.fileSize() + " bytes, at most " + config.files() + " files)" : "");
        return capture;
    }

    /** What this capture writes to. */
    public CaptureConfig config() {
        return config;
    }

    /** Records a UDP datagram from {@code src} to {@code dst}: {@code payload}'s readable bytes, left unread. */
    public void udp(InetSocketAddress src, InetSocketAddress dst, ByteBuf payload) {
        if (stopped || src == null || dst == null) {
            return;
        }
        int length = payload.readableBytes();
        if (length > Pcap.maxUdpPayload(src, dst)) {
            skipped.incrementAndGet();
            return;
        }
        ByteBuf record = SCRATCH.get().clear();
        Pcap.udp(record, micros(), src, dst, payload, payload.readerIndex(), length);
        append(record);
    }

    /** Records a UDP datagram from {@code src} to {@code dst} carrying {@code length} bytes of {@code payload}. */
    public void udp(InetSocketAddress src, InetSocketAddress dst, byte[] payload, int offset, int length) {
        ByteBuf wrapped = Unpooled.wrappedBuffer(payload, offset, length);
        try {
            udp(src, dst, wrapped);
        } finally {
            wrapped.release();
        }
    }

    /**
     * Records the opening of a TCP connection from {@code initiator} to {@code acceptor} (a three-way
     * handshake) and returns the flow that records its data and its end.
     */
    public TcpFlow tcp(InetSocketAddress initiator, InetSocketAddress acceptor) {
        return new TcpFlow(this, initiator, acceptor);
    }

    /** Records appended so far. */
    public long records() {
        return records.get();
    }

    /** Files written so far, the current one included (rotation may have deleted the oldest). */
    public int files() {
        return files.parts();
    }

    /** Writes what is buffered to the file now. */
    public void flush() {
        try {
            files.flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Writes what is buffered and closes the file; later records are ignored. Idempotent. */
    @Override
    public void close() {
        flusher.shutdownNow();
        try {
            files.close();
        } catch (IOException e) {
            fail(e);
        }
        if (!stopped) {
            stopped = true;
            LOG.info("packet capture to {} closed: {} packets in {} file(s){}", config.file(), records.get(), files.parts(),
                    skipped.get() == 0 ? "" : ", " + skipped.get() + " too large to record");
        }
    }

    /** This thread's record buffer, emptied. */
    ByteBuf scratch() {
        return SCRATCH.get().clear();
    }

    boolean stopped() {
        return stopped;
    }

    long micros() {
        return startMicros + (System.nanoTime() - startNanos) / 1000;
    }

    void append(ByteBuf record) {
        try {
            if (files.append(record, record.readerIndex(), record.readableBytes())) {
                records.incrementAndGet();
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(IOException e) {
        if (stopped) {
            return;
        }
        stopped = true;
        LOG.warn("packet capture to {} stopped after {} packets: {}", config.file(), records.get(), e.toString());
        try {
            files.close();
        } catch (IOException ignored) {
            // Already reported the first failure.
        }
    }
}
