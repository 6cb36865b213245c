package dev.turnlab.codec.capture;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a packet capture goes and how it rotates, as tcpdump's {@code -w FILE -C SIZE -W FILES}: the
 * newest packets are always in {@code file}; once it would grow past {@code fileSize} bytes it becomes
 * part 1 ({@code turn.pcap} → {@code turn.1.pcap}), part 1 becomes part 2 and so on, and the part that
 * would be number {@code files} is deleted, so at most {@code files} files exist. A {@code fileSize} of 0
 * never rotates.
 *
 * @param file the newest part, created or replaced when the capture opens
 * @param fileSize bytes per file before it rotates, 0 for no limit, else at least {@link #MIN_FILE_SIZE}
 * @param files how many files are kept when rotating, 1 to 1000
 */
public record CaptureConfig(Path file, long fileSize, int files) {

    /** How many files rotation keeps unless told otherwise. */
    public static final int DEFAULT_FILES = 10;
    /** The smallest size cap: room for the file header and a few records. */
    public static final long MIN_FILE_SIZE = 1024;

    /** Validates the cap and the number of files. */
    public CaptureConfig {
        Objects.requireNonNull(file, "file");
        if (fileSize != 0 && fileSize < MIN_FILE_SIZE) {
            throw new IllegalArgumentException("captureSize: " + fileSize
                    + " (expected: 0 for no limit, or at least " + MIN_FILE_SIZE + " bytes)");
        }
        if (files < 1 || files > 1000) {
            throw new IllegalArgumentException("captureFiles: " + files + " (expected: 1-1000)");
        }
    }

    /** One file that grows without limit. */
    public static CaptureConfig of(Path file) {
        return new CaptureConfig(file, 0, DEFAULT_FILES);
    }

    /**
     * The capture a command line asks for: none without {@code file}; {@code size} as {@link #parseSize}
     * reads it (null: no rotation), {@code files} null for {@link #DEFAULT_FILES}. A size or a number of
     * files without a file is refused.
     */
    public static CaptureConfig fromOptions(Path file, String size, Integer files) {
        if (file == null) {
            if (size != null || files != null) {
                throw new IllegalArgumentException("capture: --capture-size and --capture-files need --capture FILE");
            }
            return null;
        }
        return new CaptureConfig(file, size == null ? 0 : parseSize(size), files == null ? DEFAULT_FILES : files);
    }

    /** This capture rotating at {@code bytes} per file (0: never). */
    public CaptureConfig withFileSize(long bytes) {
        return new CaptureConfig(file, bytes, files);
    }

    /** This capture keeping at most {@code count} files when it rotates. */
    public CaptureConfig withFiles(int count) {
        return new CaptureConfig(file, fileSize, count);
    }

    /** Whether files rotate at a size. */
    public boolean rotates() {
        return fileSize > 0;
    }

    /**
     * Part {@code index} of the capture: 0 is {@link #file()}, the newest; {@code n} has {@code .n} before
     * the extension ({@code turn.1.pcap}), or at the end when the name has none ({@code turn.1}), so that
     * Wireshark still recognises the older parts by their extension.
     */
    public Path part(int index) {
        if (index == 0) {
            return file;
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String partName = dot > 0 ? name.substring(0, dot) + "." + index + name.substring(dot) : name + "." + index;
        return file.resolveSibling(partName);
    }

    /**
     * Parses a size: bytes ({@code 4096}), or a number with a decimal unit as tcpdump's {@code -C} counts
     * ({@code 100MB} = 100,000,000 bytes; {@code k}, {@code KB}, {@code M}, {@code MB}, {@code G}, {@code GB})
     * or a binary one ({@code 64KiB}, {@code MiB}, {@code GiB}); case does not matter.
     */
    public static long parseSize(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        long unit = switch (s.substring(end).strip()) {
            case "", "b" -> 1L;
            case "k", "kb" -> 1_000L;
            case "m", "mb" -> 1_000_000L;
            case "g", "gb" -> 1_000_000_000L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            default -> -1L;
        };
        if (end == 0 || end > 15 || unit < 0) {
            throw new IllegalArgumentException("captureSize: " + text + " (expected: a size such as 100MB, 64KiB or 4096)");
        }
        try {
            return Math.multiplyExact(Long.parseLong(s.substring(0, end)), unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("captureSize: " + text + " (expected: at most " + Long.MAX_VALUE + " bytes)");
        }
    }
}
