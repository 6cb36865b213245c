package dev.turnlab.server.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.attribute.Lifetime;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Permission and channel state of one allocation against a frozen clock (RFC 8656 §9, §11, §12). */
class AllocationTest {

    private static final long T0 = 1_000_000L;
    private final InetSocketAddress peerA = new InetSocketAddress("198.51.100.1", 5000);
    private final InetSocketAddress peerA2 = new InetSocketAddress("198.51.100.1", 6000);
    private final InetSocketAddress peerB = new InetSocketAddress("198.51.100.2", 5000);
    private final Allocation allocation = new Allocation(
            new FiveTuple(Transport.UDP, new InetSocketAddress("192.0.2.1", 1), new InetSocketAddress("192.0.2.2", 3478)),
            "alice", null, java.util.List.of(new Relay(null, new InetSocketAddress("192.0.2.2", 24000))), Lifetimes.RFC_8656, Duration.ofSeconds(600), T0, 1024);

    @Test
    void expiresAfterItsLifetimeAndRefreshMovesIt() {
        assertThat(allocation.isExpired(T0 + 599_999)).isFalse();
        assertThat(allocation.isExpired(T0 + 600_000)).isTrue();
        allocation.refresh(Duration.ofSeconds(60), T0 + 599_000);
        assertThat(allocation.isExpired(T0 + 600_000)).isFalse();
        assertThat(allocation.isExpired(T0 + 659_000)).isTrue();
    }

    private static Allocation withQuota(int quota) {
        return new Allocation(
                new FiveTuple(Transport.UDP, new InetSocketAddress("192.0.2.1", 1), new InetSocketAddress("192.0.2.2", 3478)),
                "alice", null, java.util.List.of(new Relay(null, new InetSocketAddress("192.0.2.2", 24000))),
                Lifetimes.RFC_8656, Duration.ofSeconds(600), T0, quota);
    }

    @Test
    void permissionsAreBoundedAndExpiredOnesMakeRoom() {
        Allocation a = withQuota(2);
        InetAddress c = new InetSocketAddress("198.51.100.3", 1).getAddress();
        assertThat(a.hasRoomForPermissions(java.util.List.of(peerA.getAddress(), peerB.getAddress()), T0)).isTrue();
        a.installPermission(peerA.getAddress(), T0);
        a.installPermission(peerB.getAddress(), T0 + 1000);
        // Refreshing held permissions needs no room; a third peer does.
        assertThat(a.hasRoomForPermissions(java.util.List.of(peerA.getAddress(), peerB.getAddress()), T0)).isTrue();
        assertThat(a.hasRoomForPermissions(java.util.List.of(c), T0)).isFalse();
        // Once peer A's permission expired, the sweep frees its place.
        assertThat(a.hasRoomForPermissions(java.util.List.of(c), T0 + 300_000)).isTrue();
    }

    @Test
    void channelBindingsAreBounded() {
        Allocation a = withQuota(2);
        assertThat(a.bindChannel(0x4000, peerA, T0)).isEqualTo(Allocation.BindOutcome.BOUND);
        assertThat(a.bindChannel(0x4001, peerA2, T0)).isEqualTo(Allocation.BindOutcome.BOUND);
        assertThat(a.bindChannel(0x4002, peerB, T0)).isEqualTo(Allocation.BindOutcome.QUOTA_REACHED);
        // A refresh of a held binding is always possible.
        assertThat(a.bindChannel(0x4001, peerA2, T0 + 1000)).isEqualTo(Allocation.BindOutcome.BOUND);
        assertThat(a.channelCount()).isEqualTo(2);
    }

    @Test
    void permissionsAreByIpAndLastFiveMinutes() {
        allocation.installPermission(peerA.getAddress(), T0);
        assertThat(allocation.hasPermission(peerA2.getAddress(), T0 + 299_999)).isTrue();
        assertThat(allocation.hasPermission(peerB.getAddress(), T0)).isFalse();
        assertThat(allocation.hasPermission(peerA.getAddress(), T0 + 300_000)).isFalse();
        allocation.sweep(T0 + 300_000);
        assertThat(allocation.permissionCount(T0)).isZero();
    }

    @Test
    void channelBindInstallsAPermissionAndIsFoundBothWays() {
        assertThat(allocation.bindChannel(0x4000, peerA, T0)).isEqualTo(Allocation.BindOutcome.BOUND);
        assertThat(allocation.channel(0x4000, T0).peer()).isEqualTo(peerA);
        assertThat(allocation.channelTo(peerA, T0).number()).isEqualTo(0x4000);
        assertThat(allocation.channelTo(peerA2, T0)).isNull();
        assertThat(allocation.hasPermission(peerA.getAddress(), T0)).isTrue();
    }

    @Test
    void numberAndPeerCannotBeReboundUntilFiveMinutesAfterExpiry() {
        allocation.bindChannel(0x4000, peerA, T0);
        assertThat(allocation.bindChannel(0x4000, peerB, T0)).isEqualTo(Allocation.BindOutcome.NUMBER_IN_USE);
        assertThat(allocation.bindChannel(0x4001, peerA, T0)).isEqualTo(Allocation.BindOutcome.PEER_IN_USE);
        long expired = T0 + 600_000;
        assertThat(allocation.channel(0x4000, expired)).isNull();
        assertThat(allocation.bindChannel(0x4000, peerB, expired)).isEqualTo(Allocation.BindOutcome.NUMBER_IN_USE);
        long released = expired + 300_000;
        assertThat(allocation.bindChannel(0x4000, peerB, released)).isEqualTo(Allocation.BindOutcome.BOUND);
        assertThat(allocation.channelTo(peerA, released)).isNull();
        assertThat(allocation.bindChannel(0x4001, peerA, released)).isEqualTo(Allocation.BindOutcome.BOUND);
    }

    @Test
    void refreshingABindingKeepsIt() {
        allocation.bindChannel(0x4000, peerA, T0);
        assertThat(allocation.bindChannel(0x4000, peerA, T0 + 500_000)).isEqualTo(Allocation.BindOutcome.BOUND);
        assertThat(allocation.channel(0x4000, T0 + 1_000_000)).isNotNull();
    }

    @Test
    void lifetimesFollowRfc8656() {
        Lifetimes l = Lifetimes.RFC_8656;
        assertThat(l.granted(null)).isEqualTo(Duration.ofSeconds(600));
        assertThat(l.granted(Lifetime.ofSeconds(30))).isEqualTo(Duration.ofSeconds(600));
        assertThat(l.granted(Lifetime.ofSeconds(1800))).isEqualTo(Duration.ofSeconds(1800));
        assertThat(l.granted(Lifetime.ofSeconds(86400))).isEqualTo(Duration.ofSeconds(3600));
    }

    @Test
    void addressForLogsHasNoLookup() throws Exception {
        assertThat(FiveTuple.format(new InetSocketAddress(InetAddress.getByName("::1"), 3478))).isEqualTo("[::1]:3478");
    }
}
