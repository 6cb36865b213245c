package dev.turnlab.server;

import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Receive buffers for the server's UDP sockets on epoll, where Netty reads with {@code recvmmsg} once
 * {@code MAX_DATAGRAM_PAYLOAD_SIZE} is {@link #SLOT}: one call fills up to {@code slots} datagrams into one
 * buffer, each slot as large as any UDP datagram, so that batching never truncates one (a relay must
 * forward what it got or nothing, RFC 8656 §12.6). Each datagram is then a retained slice of the batch,
 * which lives as long as any of its datagrams: a datagram relayed to the client is copied out of it, so
 * that the batches of the many relay sockets an event loop reads in one turn are freed at once and the
 * allocator hands the same memory to the next read (a slice kept until the turn's flush cost more than
 * the copy; see benchmarks/results/2026-11-29-optimisations.md).
 *
 * <p>A socket is read until a batch comes back short of full, which means its receive queue is empty:
 * the socket is level-triggered, so stopping there saves the call that would only report {@code EAGAIN};
 * a full batch is followed by another, up to {@code 4 × slots} datagrams per readiness event so that one
 * busy socket cannot starve the others on its event loop. (Netty falls back to one {@code recvmsg} per
 * datagram only on kernels without {@code recvmmsg}, older than Linux 2.6.33.)
 */
final class DatagramReads extends DefaultMaxMessagesRecvByteBufAllocator {

    /** The room for one datagram: IPv4 and IPv6 UDP payloads are at most 65,507 and 65,527 bytes. */
    static final int SLOT = 65_536;

    private final int slots;

    /** Batches of {@code slots} datagrams; {@code slots × SLOT} must stay within the allocator's pooled sizes. */
    DatagramReads(int slots) {
        super(4 * slots);
        if (slots < 2) {
            throw new IllegalArgumentException("slots: " + slots + " (expected: >= 2)");
        }
        this.slots = slots;
    }

    @Override
    public Handle newHandle() {
        return new MaxMessageHandle() {
            @Override
            public int guess() {
                return slots * SLOT;
            }

            @Override
            public boolean continueReading(UncheckedBooleanSupplier maybeMoreData) {
                // Netty records a batch as slots × SLOT attempted and received × SLOT read.
                return lastBytesRead() == attemptedBytesRead() && super.continueReading(maybeMoreData);
            }
        };
    }
}
