package dev.turnlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.attribute.ChannelNumber;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** What holds of the allocation state whatever the server answers and in whatever order. */
class AllocationStateProperties {

    /** RFC 8656 §7: a LIFETIME is 32 bits of seconds. */
    private static final long MAX_LIFETIME_SECONDS = 0xFFFF_FFFFL;

    @Property
    void everyRefreshFallsDueBeforeExpiryWithRoomForRetransmissions(
            @ForAll @LongRange(min = 1, max = MAX_LIFETIME_SECONDS * 1000) long lifetimeMillis) {
        Duration lifetime = Duration.ofMillis(lifetimeMillis);

        Duration delay = AllocationState.refreshDelay(lifetime);
        Duration margin = lifetime.minus(delay);

        assertThat(delay).isPositive().isLessThan(lifetime);
        // A minute early when that leaves the first half of the lifetime, halfway when it does not.
        assertThat(margin).isEqualTo(lifetime.compareTo(Duration.ofMinutes(2)) >= 0
                ? Duration.ofMinutes(1) : lifetime.minus(lifetime.dividedBy(2)));
    }

    /**
     * ChannelBinds to a few peers, begun and answered in any order (crossed requests carry the same
     * number, as they do when sent before the first answer), with releases between them, as a lax
     * server that accepts every one would answer: numbers stay in 0x4000-0x4FFF, one per peer and one
     * peer per number.
     */
    @Property(tries = 300)
    void channelBindingsStayOneToOneWithinTheRange(
            @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 999) Integer> actions) {
        EmbeddedChannel channel = new EmbeddedChannel();
        AllocationState state = new AllocationState(channel.eventLoop(), new IgnoredRenewal());
        List<InetSocketAddress> peers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            peers.add(new InetSocketAddress("203.0.113." + (i + 1), 5000 + i));
        }
        List<Integer> pendingNumbers = new ArrayList<>();
        List<InetSocketAddress> pendingPeers = new ArrayList<>();
        int[] highest = {ChannelNumber.MIN};

        for (int action : actions) {
            if (action < 500) { // a ChannelBind goes out with the number the state gives
                InetSocketAddress peer = peers.get(action % peers.size());
                state.numberToBind(peer).ifPresent(n -> {
                    highest[0] = Math.max(highest[0], n);
                    pendingNumbers.add(n);
                    pendingPeers.add(peer);
                });
            } else if (action < 990 && !pendingNumbers.isEmpty()) { // one of them is answered with success
                int i = action % pendingNumbers.size();
                state.bound(pendingNumbers.remove(i), pendingPeers.remove(i));
            } else if (action >= 990) { // the allocation goes
                state.released();
            }
            assertOneToOneWithinRange(state, peers, highest[0]);
        }
        assertThat(channel.finish()).isFalse();
    }

    private static void assertOneToOneWithinRange(AllocationState state, List<InetSocketAddress> peers, int highest) {
        Map<Integer, InetSocketAddress> seen = new HashMap<>();
        for (InetSocketAddress peer : peers) {
            OptionalInt number = state.channel(peer);
            if (number.isEmpty()) {
                continue;
            }
            int n = number.getAsInt();
            assertThat(n).isBetween(ChannelNumber.MIN, ChannelNumber.MAX);
            assertThat(seen.put(n, peer)).as("a second peer on 0x%x", n).isNull();
            assertThat(state.peer(n)).contains(peer);
            assertThat(state.numberToBind(peer)).hasValue(n);
        }
        for (int n = ChannelNumber.MIN; n <= highest; n++) {
            int number = n;
            state.peer(n).ifPresent(p -> assertThat(state.channel(p)).hasValue(number));
        }
    }

    /**
     * Time goes by in uneven steps while every refresh the state asks for succeeds at once: neither the
     * allocation, nor a permission, nor a channel binding goes a whole lifetime without a refresh.
     */
    @Property(tries = 50)
    void nothingExpiresWhileRefreshesSucceed(
            @ForAll @LongRange(min = 2, max = 900) long allocationSeconds,
            @ForAll @Size(min = 1, max = 50) List<@IntRange(min = 1, max = 500) Integer> stepsMillis) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        Duration allocationLifetime = Duration.ofSeconds(allocationSeconds);
        InetAddress permitted = new InetSocketAddress("203.0.113.1", 0).getAddress();
        InetSocketAddress bound = new InetSocketAddress("203.0.113.2", 5000);
        Map<String, Duration> lifetimes = Map.of("allocation", allocationLifetime,
                "permission", AllocationState.PERMISSION_LIFETIME, "channel", AllocationState.CHANNEL_LIFETIME);
        Map<String, Long> grantedAt = new HashMap<>();
        long[] now = {0};
        AllocationState[] state = new AllocationState[1];
        state[0] = new AllocationState(channel.eventLoop(), new AllocationState.Renewal() {
            @Override
            public void refreshAllocation(Duration lifetime) {
                renewed("allocation");
                state[0].refreshed(lifetime);
            }

            @Override
            public void refreshPermission(InetAddress peer) {
                renewed("permission");
                state[0].permitted(List.of(peer));
            }

            @Override
            public void refreshChannel(InetSocketAddress peer) {
                renewed("channel");
                state[0].bound(state[0].channel(peer).getAsInt(), peer);
            }

            private void renewed(String what) {
                // Seen after the step that made it due, so up to one step late: still within the lifetime.
                assertThat(now[0] - grantedAt.get(what)).as(what).isLessThan(lifetimes.get(what).toMillis());
                grantedAt.put(what, now[0]);
            }
        });
        state[0].allocated(new Allocation(bound, bound, allocationLifetime));
        state[0].permitted(List.of(permitted));
        state[0].bound(ChannelNumber.MIN, bound);
        grantedAt.put("allocation", 0L);
        grantedAt.put("permission", 0L);
        grantedAt.put("channel", 0L);

        // Twenty minutes: at least one refresh of each, whatever the allocation's lifetime.
        for (int i = 0; now[0] < Duration.ofMinutes(20).toMillis(); i++) {
            long step = stepsMillis.get(i % stepsMillis.size());
            channel.advanceTimeBy(step, TimeUnit.MILLISECONDS);
            now[0] += step;
            channel.runScheduledPendingTasks();
        }

        for (Map.Entry<String, Long> e : grantedAt.entrySet()) {
            assertThat(now[0] - e.getValue()).as(e.getKey()).isLessThan(lifetimes.get(e.getKey()).toMillis());
        }
        assertThat(grantedAt.values()).allMatch(at -> at > 0);
        state[0].released();
        assertThat(channel.finish()).isFalse();
    }

    private static final class IgnoredRenewal implements AllocationState.Renewal {
        @Override
        public void refreshAllocation(Duration lifetime) {
        }

        @Override
        public void refreshPermission(InetAddress peer) {
        }

        @Override
        public void refreshChannel(InetSocketAddress peer) {
        }
    }
}
