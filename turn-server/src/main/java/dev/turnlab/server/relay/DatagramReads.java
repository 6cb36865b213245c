package dev.turnlab.server.relay;

import dev.turnlab.codec.ChannelDataCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Receive buffers for the server's UDP sockets on epoll, where Netty reads with {@code recvmmsg} once
 * {@code MAX_DATAGRAM_PAYLOAD_SIZE} is {@link #SLOT}: one call fills up to {@code slots} datagrams into one
 * buffer, each slot as large as any UDP datagram, so that batching never truncates one (a relay must
 * forward what it got or nothing, RFC 8656 §12.6). Each datagram is then a retained slice of the batch.
 *
 * <p>Every datagram has {@link #HEADROOM} bytes in front of it that nothing else uses: the batch starts that
 * far into its buffer, and the last bytes of each slot lie beyond the largest UDP payload (65,527 bytes).
 * {@link #channelData} writes a ChannelData header there, so a peer's datagram leaves for the client
 * without a copy.
 *
 * <p>A socket is read until a batch comes back short of full, which means its receive queue is empty:
 * the socket is level-triggered, so stopping there saves the call that would only report {@code EAGAIN};
 * a full batch is followed by another, up to {@code 4 × slots} datagrams per readiness event so that one
 * busy socket cannot starve the others on its event loop. (Netty falls back to one {@code recvmsg} per
 * datagram only on kernels without {@code recvmmsg}, older than Linux 2.6.33.)
 */
public final class DatagramReads extends DefaultMaxMessagesRecvByteBufAllocator {

    /** The room for one datagram: IPv4 and IPv6 UDP payloads are at most 65,507 and 65,527 bytes. */
    public static final int SLOT = 65_536;
    /** Free bytes in front of each datagram: a ChannelData header (RFC 8656 §12.4). */
    static final int HEADROOM = ChannelDataCodec.HEADER_LENGTH;

    private final int slots;

    /** Batches of {@code slots} datagrams; {@code slots × SLOT} must stay within the allocator's pooled sizes. */
    public DatagramReads(int slots) {
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
            public ByteBuf allocate(ByteBufAllocator alloc) {
                // Netty fills slots from the writer index and slices datagrams from the reader index.
                return alloc.ioBuffer(guess()).setIndex(HEADROOM, HEADROOM);
            }

            @Override
            public int guess() {
                return HEADROOM + slots * SLOT;
            }

            @Override
            public boolean continueReading(UncheckedBooleanSupplier maybeMoreData) {
                // Netty records a batch as slots × SLOT attempted and received × SLOT read.
                return lastBytesRead() == attemptedBytesRead() && super.continueReading(maybeMoreData);
            }
        };
    }

    /**
     * ChannelData on channel {@code number} (RFC 8656 §12.4) carrying {@code datagram}, unpadded as over UDP,
     * written without a copy if {@code datagram} is one read by this allocator: the header goes into its
     * headroom and the frame is a retained slice of header and datagram. Null when {@code datagram} does
     * not start a slot of a batch (not read this way, or no memory address to tell) or is tracked by Netty's
     * leak detector, for the caller to copy.
     */
    static ByteBuf channelData(ByteBuf datagram, int number) {
        if (!datagram.hasMemoryAddress()) {
            return null;
        }
        long base = datagram.memoryAddress();
        // The buffer the datagram is a slice of. A wrapper of the same memory instead is the leak detector's:
        // a frame sliced past it would free the batch behind the tracker's back, so such datagrams are copied.
        ByteBuf batch = datagram.unwrap();
        if (batch == null || !batch.hasMemoryAddress() || batch.memoryAddress() == base
                || (batch.capacity() - HEADROOM) % SLOT != 0) {
            return null;
        }
        long start = base + datagram.readerIndex() - batch.memoryAddress() - HEADROOM;
        int length = datagram.readableBytes();
        if (start < 0 || start % SLOT != 0 || start + SLOT > batch.capacity()) {
            return null;
        }
        int at = (int) start;
        // The header of RFC 8656 §12.4: channel number, then the length of the data.
        batch.setShort(at, number).setShort(at + 2, length);
        return batch.retainedSlice(at, HEADROOM + length);
    }
}
