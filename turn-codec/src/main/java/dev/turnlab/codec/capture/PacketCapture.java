package dev.turnlab.codec.capture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A packet capture in progress: UDP datagrams and TCP flows ({@link #tcp}) recorded as pcap files that
 * Wireshark and tshark read. Any thread may record: each record is encoded in a buffer of the calling
 * thread and copied whole into the capture's queue, which a thread of its own writes to the files, so
 * that recording never waits for the disk; if the disk falls behind by 8 MiB, packets go unrecorded
 * and are counted instead. Recording never throws: if the disk fails, the capture logs one warning and
 * stops, and the traffic it was watching goes on. {@link #close()} writes what is queued.
 */
public final class PacketCapture implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PacketCapture.class);

    /** One record's worth of room per thread; records are copied out of it into the queue. */
    private static final FastThreadLocal<ByteBuf> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected ByteBuf initialValue() {
            return Unpooled.wrappedBuffer(new byte[Pcap.MAX_RECORD]);
        }
    };

    private final CaptureConfig config;
    private final PcapQueue queue;
    private final long startMicros = System.currentTimeMillis() * 1000;
    private final long startNanos = System.nanoTime();
    private final AtomicLong skipped = new AtomicLong();
    private volatile boolean stopped;

    private PacketCapture(CaptureConfig config) throws IOException {
        this.config = config;
        this.queue = new PcapQueue(config);
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
        queue.append(record);
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

    /** Records taken so far (written, or queued to be). */
    public long records() {
        return queue.appended();
    }

    /** Records not taken because the disk fell behind. */
    public long dropped() {
        return queue.dropped();
    }

    /** Files started so far, the current one included (rotation may have deleted the oldest). */
    public int files() {
        return queue.parts();
    }

    /** Writes what is queued and closes the file; later records are ignored. Idempotent. */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        queue.close();
        String failed = queue.failure() == null ? "" : " (stopped early: " + queue.failure() + ")";
        LOG.info("packet capture to {} closed: {} packets in {} file(s){}{}{}", config.file(), queue.appended(), queue.parts(),
                queue.dropped() == 0 ? "" : ", " + queue.dropped() + " not recorded (the disk fell behind)",
                skipped.get() == 0 ? "" : ", " + skipped.get() + " too large to record", failed);
    }

    /** This thread's record buffer, emptied. */
    ByteBuf scratch() {
        return SCRATCH.get().clear();
    }

    boolean stopped() {
        return stopped || queue.failure() != null;
    }

    long micros() {
        return startMicros + (System.nanoTime() - startNanos) / 1000;
    }

    void append(ByteBuf record) {
        queue.append(record);
    }
}
