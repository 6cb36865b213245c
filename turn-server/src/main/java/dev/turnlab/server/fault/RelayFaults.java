package dev.turnlab.server.fault;

import dev.turnlab.codec.attribute.Data;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.relay.DataPath;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The relay's data path while {@code block-relay}, {@code loss} or {@code delay} is on; handlers come here
 * only when {@link Faults#relay()} says so. A datagram is dropped (blocked or lost, counted) or relayed
 * through {@link DataPath} now or, under {@code delay}, later on the allocation's event loop. A delayed
 * datagram is copied into a heap array, so the receive batch it came in is freed at once and nothing
 * pooled waits in the scheduler; the copies together stay within the switch's delay budget, past which
 * datagrams are dropped and counted.
 */
public final class RelayFaults {

    /** Relays a datagram from a peer to the client: called with a payload it must not release. */
    @FunctionalInterface
    public interface PeerDelivery {
        /** Relays {@code payload} from {@code peer}; does not release it. */
        void deliver(InetSocketAddress peer, ByteBuf payload);
    }

    private RelayFaults() {
    }

    /**
     * ChannelData read on a UDP listener, {@code frame} with its 4-byte header (RFC 8656 §12.6), toward the
     * peer; {@code outcome} counts what {@link DataPath} did not relay. Does not release {@code frame}.
     */
    public static void channelDataToPeer(FaultSwitch faults, Faults now, Allocation allocation, ByteBuf frame,
            LongSupplier clock, Consumer<DataPath.ToPeer> outcome) {
        if (dropped(faults, now, true)) {
            return;
        }
        if (now.delay() == null) {
            outcome.accept(DataPath.channelDataToPeer(allocation, frame, clock.getAsLong()));
            return;
        }
        byte[] copy = ByteBufUtil.getBytes(frame);
        later(faults, now, allocation.client().eventLoop(), copy.length, () -> {
            if (!allocation.isDeleted()) {
                ByteBuf held = Unpooled.wrappedBuffer(copy);
                try {
                    outcome.accept(DataPath.channelDataToPeer(allocation, held, clock.getAsLong()));
                } finally {
                    held.release();
                }
            }
        });
    }

    /**
     * The payload of channel {@code number} read on a TCP or TLS connection, toward the peer. Does not
     * release {@code data}.
     */
    public static void channelDataToPeer(FaultSwitch faults, Faults now, Allocation allocation, int number,
            ByteBuf data, LongSupplier clock, Consumer<DataPath.ToPeer> outcome) {
        if (dropped(faults, now, true)) {
            return;
        }
        if (now.delay() == null) {
            outcome.accept(DataPath.channelDataToPeer(allocation, number, data, clock.getAsLong()));
            return;
        }
        byte[] copy = ByteBufUtil.getBytes(data);
        later(faults, now, allocation.client().eventLoop(), copy.length, () -> {
            if (!allocation.isDeleted()) {
                ByteBuf held = Unpooled.wrappedBuffer(copy);
                try {
                    outcome.accept(DataPath.channelDataToPeer(allocation, number, held, clock.getAsLong()));
                } finally {
                    held.release();
                }
            }
        });
    }

    /** The DATA of a Send indication toward {@code peer}, whose permission the caller checked (RFC 8656 §10.2). */
    public static void sendToPeer(FaultSwitch faults, Faults now, Allocation allocation, InetSocketAddress peer,
            Data data, LongSupplier clock, Consumer<DataPath.ToPeer> outcome) {
        if (dropped(faults, now, true)) {
            return;
        }
        if (now.delay() == null) {
            outcome.accept(DataPath.sendToPeer(allocation, peer, data, clock.getAsLong()));
            return;
        }
        // DATA is an array of its own, not a slice of the datagram: holding it holds nothing pooled.
        later(faults, now, allocation.client().eventLoop(), data.length(), () -> {
            if (!allocation.isDeleted()) {
                outcome.accept(DataPath.sendToPeer(allocation, peer, data, clock.getAsLong()));
            }
        });
    }

    /** A datagram a relay socket read from {@code peer}, toward the client. Does not release {@code payload}. */
    public static void fromPeer(FaultSwitch faults, Faults now, EventLoop loop, InetSocketAddress peer,
            ByteBuf payload, PeerDelivery delivery) {
        if (dropped(faults, now, false)) {
            return;
        }
        if (now.delay() == null) {
            delivery.deliver(peer, payload);
            return;
        }
        byte[] copy = ByteBufUtil.getBytes(payload);
        later(faults, now, loop, copy.length, () -> {
            ByteBuf held = Unpooled.wrappedBuffer(copy);
            try {
                delivery.deliver(peer, held);
            } finally {
                held.release();
            }
        });
    }

    /** Whether the datagram is blocked or lost, counted as such. */
    private static boolean dropped(FaultSwitch faults, Faults now, boolean toPeer) {
        if (!now.drops(toPeer)) {
            return false;
        }
        faults.dropped(now.blocks(toPeer) ? FaultSwitch.Drop.BLOCK_RELAY : FaultSwitch.Drop.LOSS);
        return true;
    }

    /**
     * What a held datagram costs besides its payload: its scheduled task, the closure and the copy's
     * header. Charged too, so that a flood of empty datagrams cannot schedule tasks without bound.
     */
    static final int HELD_OVERHEAD = 128;

    /** Runs {@code send} after the drawn delay if {@code payload} bytes fit the budget; the budget is freed after it runs. */
    private static void later(FaultSwitch faults, Faults now, EventLoop loop, int payload, Runnable send) {
        int bytes = payload + HELD_OVERHEAD;
        if (!faults.reserveDelayed(bytes)) {
            return;
        }
        try {
            loop.schedule(() -> {
                try {
                    send.run();
                } finally {
                    faults.releaseDelayed(bytes);
                }
            }, now.nextDelayMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            faults.releaseDelayed(bytes); // the server is closing: the datagram goes with it
        }
    }
}
