package dev.turnlab.codec.capture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

/**
 * The files of one capture (see {@link CaptureConfig}): whole records appended through a buffer, and
 * rotation between records only, each new file starting with the pcap file header. Thread-safe: every
 * method holds this object's lock, so records from several threads never interleave.
 */
final class PcapFiles {

    /** Writes reach the disk in pieces of this size, or on {@link #flush()}. */
    private static final int BUFFER = 256 * 1024;

    private final CaptureConfig config;
    private OutputStream out;
    private long size;
    private int parts = 1;
    private boolean closed;

    /** Creates (or replaces) the capture file and removes the older parts a previous capture left. */
    PcapFiles(CaptureConfig config) throws IOException {
        this.config = config;
        for (int i = 1; i < config.files() && config.rotates(); i++) {
            Files.deleteIfExists(config.part(i));
        }
        open();
    }

    /** Appends one whole record, first rotating if it would take the file past its cap; false once closed. */
    synchronized boolean append(ByteBuf record, int index, int length) throws IOException {
        if (closed) {
            return false;
        }
        // A file holding only its header takes any record, so that a record larger than the cap cannot rotate forever.
        if (config.rotates() && size + length > config.fileSize() && size > Pcap.FILE_HEADER_LENGTH) {
            rotate();
        }
        record.getBytes(index, out, length);
        size += length;
        return true;
    }

    /** Hands what is buffered to the operating system. */
    synchronized void flush() throws IOException {
        if (!closed) {
            out.flush();
        }
    }

    /** Flushes and closes the current file; later appends do nothing. Idempotent. */
    synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }

    /** Files written so far, the current one included (rotation may have deleted the oldest). */
    synchronized int parts() {
        return parts;
    }

    private void rotate() throws IOException {
        out.close();
        Files.deleteIfExists(config.part(config.files() - 1));
        for (int i = config.files() - 2; i >= 0; i--) {
            if (Files.exists(config.part(i))) {
                Files.move(config.part(i), config.part(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        parts++;
        open();
    }

    private void open() throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(config.file()), BUFFER);
        ByteBuf header = Unpooled.buffer(Pcap.FILE_HEADER_LENGTH);
        try {
            Pcap.fileHeader(header);
            header.readBytes(out, header.readableBytes());
        } finally {
            header.release();
        }
        size = Pcap.FILE_HEADER_LENGTH;
    }
}
