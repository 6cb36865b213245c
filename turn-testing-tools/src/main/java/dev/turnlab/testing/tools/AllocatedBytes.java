package dev.turnlab.testing.tools;

import java.lang.management.ManagementFactory;

/**
 * The bytes the current thread allocates, as the JVM counts them per thread: for tests that hold a hot path
 * to allocating nothing once warm.
 */
public final class AllocatedBytes {

    private AllocatedBytes() {
    }

    /** Whether this JVM counts the bytes each thread allocates; a test should be skipped where it does not. */
    public static boolean measurable() {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled();
    }

    /**
     * The bytes the current thread allocated while {@code work} ran; warm the work up first, since class
     * loading and compilation allocate. Throws {@link IllegalStateException} where not {@link #measurable()}.
     */
    public static long during(Runnable work) {
        if (!measurable()) {
            throw new IllegalStateException("this JVM does not count allocated bytes per thread");
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
