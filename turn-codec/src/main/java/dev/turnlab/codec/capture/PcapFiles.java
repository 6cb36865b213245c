package dev.turnlab.codec.capture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

/**
 * The files of one capture (see {@link CaptureConfig}): bytes written as they come (the caller hands over
 * whole records in large chunks), and rotation, which starts a new file with the pcap file header. Used
 * by one thread, the capture's writer.
 */
final class PcapFiles {

    private static final byte[] FILE_HEADER = fileHeader();

    private final CaptureConfig config;
    private OutputStream out;

    /** Creates (or replaces) the capture file and removes the older parts a previous capture left. */
    PcapFiles(CaptureConfig config) throws IOException {
        this.config = config;
        for (int i = 1; i < config.files() && config.rotates(); i++) {
            Files.deleteIfExists(config.part(i));
        }
        open();
    }

    /** Writes {@code length} bytes of whole records. */
    void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
    }

    /** Closes the current file, shifts the older parts up by one (dropping the oldest) and starts a new one. */
    void rotate() throws IOException {
        out.close();
        Files.deleteIfExists(config.part(config.files() - 1));
        for (int i = config.files() - 2; i >= 0; i--) {
            if (Files.exists(config.part(i))) {
                Files.move(config.part(i), config.part(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        open();
    }

    /** Closes the current file. */
    void close() throws IOException {
        out.close();
    }

    private void open() throws IOException {
        out = Files.newOutputStream(config.file());
        out.write(FILE_HEADER);
    }

    private static byte[] fileHeader() {
        ByteBuf header = Unpooled.wrappedBuffer(new byte[Pcap.FILE_HEADER_LENGTH]).clear();
        Pcap.fileHeader(header);
        return header.array();
    }
}
