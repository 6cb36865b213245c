package dev.turnlab.client;

import dev.turnlab.codec.attribute.ChannelNumber;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What a client knows of its allocation on the server (RFC 8656): the allocation Allocate granted, the
 * permissions it installed (§9), its channel bindings (§12), and the timers that refresh each before
 * the server lets it expire (§7, §9, §12). A channel number is bound to at most one peer and a peer to
 * at most one number, both within 0x4000-0x4FFF.
 *
 * <p>Owned by the client's event loop: every method must be called on that loop, where the timers run
 * too; only {@link #allocation()} may be read from another thread. The state records what the server
 * answered and says when to refresh; sending the refreshes is the {@link Renewal}'s business.
 */
final class AllocationState {

    /** RFC 8656 §9: a permission lasts 300 s unless refreshed. */
    static final Duration PERMISSION_LIFETIME = Duration.ofSeconds(300);
    /** RFC 8656 §12: a channel binding lasts 600 s unless refreshed. */
    static final Duration CHANNEL_LIFETIME = Duration.ofSeconds(600);

    /** What is sent when a refresh falls due; called on the event loop. */
    interface Renewal {
        /** A Refresh request asking for {@code lifetime} again (RFC 8656 §7). */
        void refreshAllocation(Duration lifetime);

        /** A CreatePermission request for {@code peer} again (RFC 8656 §9). */
        void refreshPermission(InetAddress peer);

        /** A ChannelBind request for {@code peer} with the number it has (RFC 8656 §12). */
        void refreshChannel(InetSocketAddress peer);
    }

    /** A channel number bound to a peer, and the timer that binds it again. */
    private record ChannelBinding(int number, InetSocketAddress peer, ScheduledFuture<?> refresh) {
    }

    private final EventLoop loop;
    private final Renewal renewal;
    private volatile Allocation allocation; // read by TurnClient.allocation() from any thread
    private ScheduledFuture<?> allocationRefresh;
    private final Map<InetAddress, ScheduledFuture<?>> permissions = new HashMap<>();
    private final Map<InetSocketAddress, ChannelBinding> channelsByPeer = new HashMap<>();
    private final Map<Integer, ChannelBinding> channelsByNumber = new HashMap<>();
    private int nextChannel = ChannelNumber.MIN;

    /** An empty state whose timers run on {@code loop} and call {@code renewal}. */
    AllocationState(EventLoop loop, Renewal renewal) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.renewal = Objects.requireNonNull(renewal, "renewal");
    }

    /**
     * When to refresh what was granted for {@code lifetime}: a minute before it expires, or halfway
     * when it lasts less than two minutes, so a refresh lost once is retransmitted in time. This gives
     * 240 s for a permission and 540 s for a channel binding or a default allocation.
     */
    static Duration refreshDelay(Duration lifetime) {
        Duration minuteEarly = lifetime.minusSeconds(60);
        Duration half = lifetime.dividedBy(2);
        return minuteEarly.compareTo(half) > 0 ? minuteEarly : half;
    }

    /** The current allocation, or null before Allocate succeeded and after it was released. */
    Allocation allocation() {
        return allocation;
    }

    /** Allocate succeeded (RFC 8656 §7.3): records it and schedules its refresh. */
    void allocated(Allocation granted) {
        allocation = Objects.requireNonNull(granted, "granted");
        scheduleAllocationRefresh(granted.lifetime());
    }

    /**
     * Refresh succeeded (RFC 8656 §8): a lifetime of zero deleted the allocation, and with it every
     * permission and channel binding; another one schedules the next refresh.
     */
    void refreshed(Duration granted) {
        if (granted.isZero()) {
            released();
        } else {
            scheduleAllocationRefresh(granted);
        }
    }

    /** The allocation is gone: forgets it, its permissions and channels, and stops every timer. */
    void released() {
        allocation = null;
        cancel(allocationRefresh);
        allocationRefresh = null;
        permissions.values().forEach(AllocationState::cancel);
        permissions.clear();
        channelsByPeer.values().forEach(c -> cancel(c.refresh()));
        channelsByPeer.clear();
        channelsByNumber.clear();
        nextChannel = ChannelNumber.MIN;
    }

    /** CreatePermission succeeded for {@code peers} (RFC 8656 §9.2): each is refreshed before it expires. */
    void permitted(Iterable<InetAddress> peers) {
        Duration delay = refreshDelay(PERMISSION_LIFETIME);
        for (InetAddress peer : peers) {
            cancel(permissions.put(peer, schedule(() -> renewal.refreshPermission(peer), delay)));
        }
    }

    /** The peer addresses with a permission. */
    Set<InetAddress> permissions() {
        return Set.copyOf(permissions.keySet());
    }

    /**
     * The number a ChannelBind for {@code peer} should carry (RFC 8656 §11.1): the peer's own if it has
     * one, otherwise the next not yet used; empty when every number has been used.
     */
    OptionalInt numberToBind(InetSocketAddress peer) {
        ChannelBinding existing = channelsByPeer.get(peer);
        if (existing != null) {
            return OptionalInt.of(existing.number());
        }
        return nextChannel <= ChannelNumber.MAX ? OptionalInt.of(nextChannel) : OptionalInt.empty();
    }

    /**
     * ChannelBind of {@code number} to {@code peer} succeeded (RFC 8656 §11.2): records the binding and
     * schedules it to be bound again before it expires. A success that would bind the number to a second
     * peer, or the peer to a second number (requests that crossed, answered by a lax server), is not
     * recorded, so the binding stays one to one; returns whether it was recorded.
     */
    boolean bound(int number, InetSocketAddress peer) {
        Objects.requireNonNull(peer, "peer");
        if (number < ChannelNumber.MIN || number > ChannelNumber.MAX) {
            throw new IllegalArgumentException("number: 0x" + Integer.toHexString(number)
                    + " (expected: 0x4000-0x4FFF)");
        }
        ChannelBinding byPeer = channelsByPeer.get(peer);
        ChannelBinding byNumber = channelsByNumber.get(number);
        if (byPeer != byNumber) {
            return false; // the peer has another number, or the number another peer
        }
        if (byPeer != null) {
            cancel(byPeer.refresh());
        }
        ChannelBinding binding = new ChannelBinding(number, peer,
                schedule(() -> renewal.refreshChannel(peer), refreshDelay(CHANNEL_LIFETIME)));
        channelsByPeer.put(peer, binding);
        channelsByNumber.put(number, binding);
        nextChannel = Math.max(nextChannel, number + 1);
        return true;
    }

    /** The channel number bound to {@code peer}, for ChannelData (RFC 8656 §12.5); empty if none. */
    OptionalInt channel(InetSocketAddress peer) {
        ChannelBinding binding = channelsByPeer.get(peer);
        return binding == null ? OptionalInt.empty() : OptionalInt.of(binding.number());
    }

    /** The peer bound to channel {@code number}, for received ChannelData (RFC 8656 §12.6); empty if none. */
    Optional<InetSocketAddress> peer(int number) {
        ChannelBinding binding = channelsByNumber.get(number);
        return binding == null ? Optional.empty() : Optional.of(binding.peer());
    }

    private void scheduleAllocationRefresh(Duration lifetime) {
        cancel(allocationRefresh);
        allocationRefresh = schedule(() -> renewal.refreshAllocation(lifetime), refreshDelay(lifetime));
    }

    private ScheduledFuture<?> schedule(Runnable refresh, Duration delay) {
        return loop.schedule(refresh, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
