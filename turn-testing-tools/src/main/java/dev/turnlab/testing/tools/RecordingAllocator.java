package dev.turnlab.testing.tools;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An allocator that remembers every buffer it hands out, so a test can prove that each one was
 * released: a deterministic leak check on top of Netty's leak detector (which still tracks every
 * buffer at the PARANOID level, and none where a fuzz run turns it off). Safe to share between threads.
 */
public final class RecordingAllocator extends AbstractByteBufAllocator {

    private final List<ByteBuf> allocated = new ArrayList<>();

    /** A heap-preferring allocator, so tests can compare backing arrays. */
    public RecordingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return record(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return record(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    private synchronized ByteBuf record(ByteBuf buf) {
        allocated.add(buf);
        return toLeakAwareBuffer(buf);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** A new heap buffer holding {@code bytes}. */
    public ByteBuf bytes(byte[] bytes) {
        return heapBuffer(bytes.length).writeBytes(bytes);
    }

    /** A new heap buffer holding {@code length} bytes of {@code bytes} from {@code offset}. */
    public ByteBuf bytes(byte[] bytes, int offset, int length) {
        return heapBuffer(length).writeBytes(bytes, offset, length);
    }

    /** A new heap buffer holding the bytes written in hexadecimal. */
    public ByteBuf hex(String hex) {
        return bytes(HexFormat.of().parseHex(hex));
    }

    /** How many buffers were handed out. */
    public synchronized int allocations() {
        return allocated.size();
    }

    /** Fails unless every buffer handed out has been released. */
    public synchronized void assertAllReleased() {
        List<String> live = new ArrayList<>();
        for (ByteBuf buf : allocated) {
            if (buf.refCnt() != 0) {
                live.add(buf + " refCnt=" + buf.refCnt());
            }
        }
        if (!live.isEmpty()) {
            throw new AssertionError(live.size() + " of " + allocated.size() + " buffers not released: " + live);
        }
    }
}
