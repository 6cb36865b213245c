package dev.turnlab.server.auth;

import dev.turnlab.server.LoginLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.server.auth.LoginLimiter.Verdict;
import dev.turnlab.testing.tools.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Failed-login limits per source and per user, on a frozen clock. */
class LoginLimiterTest {

    private final MutableClock clock = MutableClock.now();
    private final LoginLimiter limiter = new LoginLimiter(new LoginLimits(3, 5, Duration.ofMinutes(1), 100), clock);
    private final InetAddress attacker = address("198.51.100.7");
    private final InetAddress user = address("203.0.113.20");

    private static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private void fail(InetAddress source, String name, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(limiter.admit(source, name)).isEqualTo(Verdict.CHECK);
            limiter.failed(source, name, true);
        }
    }

    @Test
    void aSourceIsRefusedAfterItsBurstAndGetsOneTryPerRefilledToken() {
        fail(attacker, "alice", 3);

        assertThat(limiter.admit(attacker, "alice")).isEqualTo(Verdict.SOURCE_LIMITED);
        assertThat(limiter.admit(attacker, "bob")).isEqualTo(Verdict.SOURCE_LIMITED);
        clock.advance(Duration.ofSeconds(19));
        assertThat(limiter.admit(attacker, "bob")).isEqualTo(Verdict.SOURCE_LIMITED);
        clock.advance(Duration.ofSeconds(1)); // 3 per minute: one token every 20 s
        assertThat(limiter.admit(attacker, "bob")).isEqualTo(Verdict.CHECK);
        limiter.failed(attacker, "bob", true);
        assertThat(limiter.admit(attacker, "bob")).isEqualTo(Verdict.SOURCE_LIMITED);
    }

    @Test
    void anotherSourceIsNotAffected() {
        fail(attacker, "alice", 3);

        assertThat(limiter.admit(user, "alice")).isEqualTo(Verdict.CHECK);
    }

    @Test
    void aUserUnderAttackIsNotLockedOutForACleanSource() {
        // Five attackers with one failure each: none reaches its source limit, alice's bucket is empty.
        for (int i = 1; i <= 5; i++) {
            fail(address("198.51.100." + i), "alice", 1);
        }
        assertThat(limiter.admit(address("198.51.100.1"), "alice")).isEqualTo(Verdict.USER_LIMITED);
        // The real alice, from an address without failures, still has her password checked.
        assertThat(limiter.admit(user, "alice")).isEqualTo(Verdict.CHECK);
        // And a fresh attacker gets a single guess before it counts as failed lately.
        InetAddress fresh = address("198.51.100.99");
        assertThat(limiter.admit(fresh, "alice")).isEqualTo(Verdict.CHECK);
        limiter.failed(fresh, "alice", true);
        assertThat(limiter.admit(fresh, "alice")).isEqualTo(Verdict.USER_LIMITED);
        // Other users are not limited for the same sources.
        assertThat(limiter.admit(fresh, "bob")).isEqualTo(Verdict.CHECK);
    }

    @Test
    void aSourceThatFailedLatelyIsRefusedForAnEmptiedUserUntilItRefills() {
        fail(address("198.51.100.1"), "alice", 2);
        fail(address("198.51.100.2"), "alice", 2);
        fail(user, "alice", 1);
        assertThat(limiter.admit(user, "alice")).isEqualTo(Verdict.USER_LIMITED);

        clock.advance(Duration.ofMinutes(1));

        assertThat(limiter.admit(user, "alice")).isEqualTo(Verdict.CHECK);
    }

    @Test
    void ipv6SourcesShareTheirSlash64() {
        fail(address("2001:db8:1:2::1"), "alice", 3);

        assertThat(limiter.admit(address("2001:db8:1:2:ffff::9"), "bob")).isEqualTo(Verdict.SOURCE_LIMITED);
        assertThat(limiter.admit(address("2001:db8:1:3::1"), "bob")).isEqualTo(Verdict.CHECK);
    }

    @Test
    void memoryIsBoundedUnderAFloodOfSourcesAndUsers() {
        for (int i = 0; i < 10_000; i++) {
            InetAddress source = address("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
            limiter.failed(source, "user" + i, true);
            limiter.failed(source, "nobody" + i, false);
        }

        assertThat(limiter.trackedSources()).isEqualTo(100);
        assertThat(limiter.trackedUsers()).isEqualTo(100);
        assertThat(limiter.trackedPairs()).isEqualTo(200);
    }

    @Test
    void zeroTurnsTheLimitsOff() {
        LoginLimiter off = new LoginLimiter(new LoginLimits(0, 0, Duration.ofMinutes(1), 100), clock);
        for (int i = 0; i < 1000; i++) {
            off.failed(attacker, "alice", true);
        }

        assertThat(off.admit(attacker, "alice")).isEqualTo(Verdict.CHECK);
        assertThat(off.trackedSources()).isZero();
    }

    @Test
    void oneClientRetryingAStaleNameBehindANatDoesNotLockOutTheOthersWithTheDefaults() {
        LoginLimiter defaults = new LoginLimiter(LoginLimits.DEFAULT, clock);
        InetAddress nat = address("203.0.113.1");
        int checked = 0;
        for (int i = 0; i < 1000; i++) {
            if (defaults.admit(nat, "1700000000:stale") == Verdict.CHECK) {
                checked++;
                defaults.failed(nat, "1700000000:stale", false);
            }
        }

        assertThat(checked).isEqualTo(LoginLimits.DEFAULT.perUser());
        assertThat(defaults.admit(nat, "1700000000:stale")).isEqualTo(Verdict.USER_LIMITED);
        assertThat(defaults.admit(nat, "bob")).isEqualTo(Verdict.CHECK);
    }

    @Test
    void oneAddressSprayingUsernamesStillHitsItsCeiling() {
        LoginLimiter defaults = new LoginLimiter(LoginLimits.DEFAULT, clock);
        int checked = 0;
        for (int i = 0; i < 1000; i++) {
            if (defaults.admit(attacker, "user" + i) == Verdict.CHECK) {
                checked++;
                defaults.failed(attacker, "user" + i, i % 2 == 0);
            }
        }

        assertThat(checked).isEqualTo(LoginLimits.DEFAULT.perSource());
        assertThat(defaults.admit(attacker, "alice")).isEqualTo(Verdict.SOURCE_LIMITED);
    }

    @Test
    void anotherHostBehindTheSameNatFailingForAnotherNameDoesNotStopAUserUnderAttack() {
        for (int i = 1; i <= 5; i++) {
            fail(address("198.51.100." + i), "alice", 1);
        }
        limiter.failed(user, "bob", true);
        limiter.failed(user, "nobody", false);

        // alice's bucket is empty, but from this address nobody failed for alice: her password is checked.
        assertThat(limiter.admit(user, "alice")).isEqualTo(Verdict.CHECK);
    }

    @Test
    void aFloodOfMadeUpNamesDoesNotEvictAUserUnderAttack() {
        for (int i = 1; i <= 5; i++) {
            fail(address("198.51.100." + i), "alice", 1);
        }
        for (int i = 0; i < 1000; i++) {
            limiter.failed(address("10.0." + (i >> 8 & 255) + "." + (i & 255)), "guess" + i, false);
        }

        assertThat(limiter.trackedUsers()).isEqualTo(1);
        assertThat(limiter.admit(address("198.51.100.1"), "alice")).isEqualTo(Verdict.USER_LIMITED);
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new LoginLimits(-1, 5, Duration.ofMinutes(1), 100))
                .hasMessage("loginLimitPerSource: -1 (expected: >= 0, 0 for no limit)");
        assertThatThrownBy(() -> new LoginLimits(1, 5, Duration.ZERO, 100))
                .hasMessage("loginLimitWindow: PT0S (expected: 1ms-1d)");
        assertThatThrownBy(() -> new LoginLimits(1, 5, Duration.ofMinutes(1), 0))
                .hasMessage("loginLimitTracked: 0 (expected: 1-1048576)");
    }
}
