package dev.turnlab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's allocation state on an EmbeddedChannel's event loop with frozen time: which refresh
 * falls due when (RFC 8656 §7, §9, §12), and how channel numbers are handed out and kept one to one.
 */
class AllocationStateTest {

    private static final InetSocketAddress RELAYED = new InetSocketAddress("192.0.2.1", 49152);
    private static final InetSocketAddress MAPPED = new InetSocketAddress("198.51.100.7", 40000);
    private static final InetSocketAddress PEER_A = new InetSocketAddress("203.0.113.1", 5000);
    private static final InetSocketAddress PEER_B = new InetSocketAddress("203.0.113.2", 5000);

    private final List<String> renewals = new ArrayList<>();
    private EmbeddedChannel channel;
    private AllocationState state;
    private long now;

    @BeforeEach
    void open() {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        state = new AllocationState(channel.eventLoop(), new AllocationState.Renewal() {
            @Override
            public void refreshAllocation(Duration lifetime) {
                renewals.add(now + " ms: allocation " + lifetime.toSeconds() + " s");
            }

            @Override
            public void refreshPermission(InetAddress peer) {
                renewals.add(now + " ms: permission " + peer.getHostAddress());
            }

            @Override
            public void refreshChannel(InetSocketAddress peer) {
                renewals.add(now + " ms: channel " + peer);
            }
        });
    }

    @AfterEach
    void close() {
        assertThat(channel.finish()).isFalse();
    }

    /** Moves the loop's clock on by {@code millis} and runs the timers that fell due. */
    private void advance(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        now += millis;
        channel.runScheduledPendingTasks();
    }

    private static Allocation allocation(Duration lifetime) {
        return new Allocation(RELAYED, MAPPED, lifetime);
    }

    @Test
    void theAllocationIsRefreshedAMinuteBeforeItExpires() {
        state.allocated(allocation(Duration.ofSeconds(600)));

        advance(539_999);
        assertThat(renewals).isEmpty();
        advance(1);

        assertThat(renewals).containsExactly("540000 ms: allocation 600 s");
        assertThat(state.allocation()).isEqualTo(allocation(Duration.ofSeconds(600)));
    }

    @Test
    void aShortAllocationIsRefreshedHalfway() {
        state.allocated(allocation(Duration.ofSeconds(3)));

        advance(1_499);
        assertThat(renewals).isEmpty();
        advance(1);

        assertThat(renewals).containsExactly("1500 ms: allocation 3 s");
    }

    @Test
    void aRefreshPlansTheNextFromTheLifetimeItGranted() {
        state.allocated(allocation(Duration.ofSeconds(600)));
        advance(100_000);

        state.refreshed(Duration.ofSeconds(300));
        advance(240_000);

        assertThat(renewals).containsExactly("340000 ms: allocation 300 s");
        advance(600_000);
        assertThat(renewals).hasSize(1); // the renewal's answer plans the next one, and none came here
    }

    @Test
    void aPermissionIsRefreshedEveryFourMinutes() throws Exception {
        InetAddress peer = InetAddress.getByName("203.0.113.1");
        state.permitted(List.of(peer));

        advance(239_999);
        assertThat(renewals).isEmpty();
        advance(1);
        state.permitted(List.of(peer)); // the CreatePermission the renewal sent succeeded
        advance(240_000);

        assertThat(renewals).containsExactly("240000 ms: permission 203.0.113.1", "480000 ms: permission 203.0.113.1");
        assertThat(state.permissions()).containsExactly(peer);
    }

    @Test
    void permittingAPeerAgainReplacesItsTimer() throws Exception {
        InetAddress peer = InetAddress.getByName("203.0.113.1");
        state.permitted(List.of(peer));
        advance(100_000);

        state.permitted(List.of(peer));
        advance(239_999);

        assertThat(renewals).isEmpty();
        advance(1);
        assertThat(renewals).containsExactly("340000 ms: permission 203.0.113.1");
    }

    @Test
    void aChannelBindingIsRefreshedNineMinutesAfterItWasBound() {
        assertThat(state.bound(0x4000, PEER_A)).isTrue();

        advance(539_999);
        assertThat(renewals).isEmpty();
        advance(1);

        assertThat(renewals).containsExactly("540000 ms: channel " + PEER_A);
    }

    @Test
    void bindingThePeerAgainKeepsItsNumberAndReplacesItsTimer() {
        state.bound(0x4000, PEER_A);
        advance(500_000);

        assertThat(state.numberToBind(PEER_A)).hasValue(0x4000);
        assertThat(state.bound(0x4000, PEER_A)).isTrue();
        advance(539_999);

        assertThat(renewals).isEmpty();
        advance(1);
        assertThat(renewals).containsExactly("1040000 ms: channel " + PEER_A);
    }

    @Test
    void channelNumbersAreHandedOutInOrderFrom0x4000() {
        assertThat(state.numberToBind(PEER_A)).hasValue(0x4000);
        state.bound(0x4000, PEER_A);

        assertThat(state.numberToBind(PEER_B)).hasValue(0x4001);
        assertThat(state.channel(PEER_A)).hasValue(0x4000);
        assertThat(state.channel(PEER_B)).isEmpty();
        assertThat(state.peer(0x4000)).contains(PEER_A);
        assertThat(state.peer(0x4001)).isEmpty();
    }

    @Test
    void whenEveryNumberIsBoundThereIsNoneToBind() {
        for (int number = 0x4000; number <= 0x4FFF; number++) {
            assertThat(state.bound(number, new InetSocketAddress("203.0.113.9", number))).isTrue();
        }

        assertThat(state.numberToBind(PEER_A)).isEmpty();
        assertThat(state.numberToBind(new InetSocketAddress("203.0.113.9", 0x4FFF))).hasValue(0x4FFF);
    }

    @Test
    void crossedBindingsAreNotRecorded() {
        // Two ChannelBinds sent at once carry the same free number; a lax server accepts both.
        state.bound(0x4000, PEER_A);

        assertThat(state.bound(0x4000, PEER_B)).as("the number bound to another peer").isFalse();
        assertThat(state.bound(0x4001, PEER_A)).as("the peer bound to another number").isFalse();
        assertThat(state.peer(0x4000)).contains(PEER_A);
        assertThat(state.peer(0x4001)).isEmpty();
        assertThat(state.channel(PEER_A)).hasValue(0x4000);
        assertThat(state.channel(PEER_B)).isEmpty();
    }

    @Test
    void aNumberOutsideTheChannelRangeIsABug() {
        assertThatThrownBy(() -> state.bound(0x3FFF, PEER_A)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("number: 0x3fff (expected: 0x4000-0x4FFF)");
        assertThatThrownBy(() -> state.bound(0x5000, PEER_A)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void releaseForgetsEverythingAndStopsEveryTimer() throws Exception {
        state.allocated(allocation(Duration.ofSeconds(600)));
        state.permitted(List.of(InetAddress.getByName("203.0.113.1")));
        state.bound(0x4000, PEER_A);
        state.bound(0x4001, PEER_B);

        state.released();
        advance(Duration.ofHours(1).toMillis());

        assertThat(renewals).isEmpty();
        assertThat(state.allocation()).isNull();
        assertThat(state.permissions()).isEmpty();
        assertThat(state.channel(PEER_A)).isEmpty();
        assertThat(state.peer(0x4001)).isEmpty();
        assertThat(state.numberToBind(PEER_B)).hasValue(0x4000);
    }

    @Test
    void aRefreshToLifetimeZeroIsARelease() {
        state.allocated(allocation(Duration.ofSeconds(600)));
        state.bound(0x4000, PEER_A);

        state.refreshed(Duration.ZERO);
        advance(Duration.ofHours(1).toMillis());

        assertThat(renewals).isEmpty();
        assertThat(state.allocation()).isNull();
        assertThat(state.channel(PEER_A)).isEqualTo(OptionalInt.empty());
        assertThat(state.peer(0x4000)).isEqualTo(Optional.empty());
    }

    @Test
    void theRfcLifetimesAreRefreshedAMinuteEarly() {
        assertThat(AllocationState.refreshDelay(AllocationState.PERMISSION_LIFETIME)).isEqualTo(Duration.ofSeconds(240));
        assertThat(AllocationState.refreshDelay(AllocationState.CHANNEL_LIFETIME)).isEqualTo(Duration.ofSeconds(540));
        assertThat(AllocationState.refreshDelay(Duration.ofSeconds(600))).isEqualTo(Duration.ofSeconds(540));
        assertThat(AllocationState.refreshDelay(Duration.ofSeconds(100))).isEqualTo(Duration.ofSeconds(50));
    }
}
