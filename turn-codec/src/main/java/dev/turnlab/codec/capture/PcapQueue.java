package dev.turnlab.codec.capture;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole records from any thread, written to the capture's files by a thread of its own, so that a
 * thread that records (an event loop) never waits for the disk: records are copied into 1 MiB chunks
 * under a short lock, and full chunks go to the writer. At most {@link #CHUNKS} chunks exist; when all
 * are full because the disk fell behind, records are dropped and counted, as tcpdump's kernel buffer
 * drops packets, rather than slow the traffic down. Rotation is decided here, between records, and
 * carried out by the writer at that point of the chunk. A partly filled chunk is written
 * at least once a second.
 */
final class PcapQueue {

    private static final Logger LOG = LoggerFactory.getLogger(PacketCapture.class);
    /** Bytes per chunk; a chunk holds at least one record of any size. */
    static final int CHUNK = 1 << 20;
    /** Chunks in all: what the writer may fall behind by before records are dropped. */
    static final int CHUNKS = 8;
    private static final long FLUSH_MILLIS = 1000;

    /** A chunk of whole records, and the offsets in it where a new file starts. */
    private static final class Chunk {
        final byte[] bytes = new byte[CHUNK];
        int length;
        int[] cuts = new int[8];
        int cutCount;

        void cut() {
            if (cutCount == cuts.length) {
                cuts = java.util.Arrays.copyOf(cuts, cutCount * 2);
            }
            cuts[cutCount++] = length;
        }
    }

    private static final Chunk END = new Chunk();

    private final CaptureConfig config;
    private final PcapFiles files;
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final Thread writer;

    // Guarded by this.
    private final ArrayDeque<Chunk> free = new ArrayDeque<>();
    private int allocated;
    private Chunk filling;
    private boolean rotateNext;
    private long fileSize = Pcap.FILE_HEADER_LENGTH;
    private int parts = 1;
    private long appended;
    private long dropped;
    private boolean closed;

    private volatile IOException failure;

    /** Opens the files (creating the first one now, so that a bad path fails here) and starts the writer. */
    PcapQueue(CaptureConfig config) throws IOException {
        this.config = config;
        this.files = new PcapFiles(config);
        this.writer = new Thread(this::write, "pcap-writer " + config.file().getFileName());
        writer.setDaemon(true);
        writer.start();
    }

    /** Copies one whole record in, first rotating if it would take the file past its cap; false if dropped or closed. */
    synchronized boolean append(ByteBuf record) {
        int length = record.readableBytes();
        if (closed || failure != null) {
            return false;
        }
        // A file holding only its header takes any record, so that a record larger than the cap cannot rotate forever.
        if (config.rotates() && fileSize + length > config.fileSize() && fileSize > Pcap.FILE_HEADER_LENGTH) {
            if (filling != null) {
                filling.cut();
            } else {
                rotateNext = true;
            }
            fileSize = Pcap.FILE_HEADER_LENGTH;
            parts++;
        }
        if (filling != null && CHUNK - filling.length < length) {
            seal();
        }
        if (filling == null && (filling = take()) == null) {
            if (dropped++ == 0) {
                LOG.warn("packet capture to {}: the disk is falling behind, packets go unrecorded", config.file());
            }
            return false;
        }
        record.getBytes(record.readerIndex(), filling.bytes, filling.length, length);
        filling.length += length;
        fileSize += length;
        appended++;
        return true;
    }

    /** Records appended; records dropped because the writer fell behind; files started. */
    synchronized long appended() {
        return appended;
    }

    synchronized long dropped() {
        return dropped;
    }

    synchronized int parts() {
        return parts;
    }

    /** Hands the partly filled chunk to the writer, which writes it and closes the file; waits up to 10 s for that. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            seal();
            full.add(END);
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first write failure, or null. */
    IOException failure() {
        return failure;
    }

    private Chunk take() {
        Chunk c = free.poll();
        if (c == null && allocated < CHUNKS) {
            allocated++;
            c = new Chunk();
        }
        if (c != null) {
            c.length = 0;
            c.cutCount = 0;
            if (rotateNext) {
                c.cut();
                rotateNext = false;
            }
        }
        return c;
    }

    /** Hands the filling chunk, if it holds anything, to the writer. */
    private void seal() {
        if (filling != null && filling.length > 0) {
            full.add(filling);
            filling = null;
        }
    }

    private synchronized void recycle(Chunk c) {
        free.push(c);
    }

    /** Writes a chunk's records, starting a new file at each cut. */
    private void writeOut(Chunk c) throws IOException {
        int from = 0;
        for (int i = 0; i < c.cutCount; i++) {
            files.write(c.bytes, from, c.cuts[i] - from);
            files.rotate();
            from = c.cuts[i];
        }
        files.write(c.bytes, from, c.length - from);
    }

    /** The writer thread: full chunks as they come, the filling one once a second, until {@link #close()}. */
    private void write() {
        try {
            for (;;) {
                Chunk c = full.poll(FLUSH_MILLIS, TimeUnit.MILLISECONDS);
                if (c == null) {
                    synchronized (this) {
                        seal();
                    }
                    continue;
                }
                if (c == END) {
                    break;
                }
                try {
                    if (failure == null) {
                        writeOut(c);
                    }
                } catch (IOException e) {
                    failure = e;
                    LOG.warn("packet capture to {} stopped: {}", config.file(), e.toString());
                }
                recycle(c);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                files.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                    LOG.warn("packet capture to {} stopped: {}", config.file(), e.toString());
                }
            }
        }
    }
}
