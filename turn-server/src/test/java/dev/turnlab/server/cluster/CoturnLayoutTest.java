package dev.turnlab.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.server.Cidr;
import dev.turnlab.server.auth.CredentialStore;
import dev.turnlab.server.auth.StaticCredentials;
import dev.turnlab.server.relay.PeerPolicy;
import dev.turnlab.server.relay.PeerRule;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** coturn's Redis layout as pure functions: key names, peer ranges, and how Redis rules and users join local ones. */
class CoturnLayoutTest {

    @Test
    void keysAndChannelsAreCoturnsWordForWord() {
        // schema.userdb.redis §III and schema.stats.redis §1-§3.
        assertThat(CoturnKeys.userKey("north.gov", "gorst")).isEqualTo("turn/realm/north.gov/user/gorst/key");
        assertThat(CoturnKeys.secrets("north.gov")).isEqualTo("turn/realm/north.gov/secret");
        assertThat(CoturnKeys.allowedPeers("north.gov")).isEqualTo("turn/realm/north.gov/allowed-peer-ip");
        assertThat(CoturnKeys.deniedPeers("crinna.org")).isEqualTo("turn/realm/crinna.org/denied-peer-ip");
        assertThat(CoturnKeys.statusKey("north.gov", "gorst", "0a1b2c3d4e5f"))
                .isEqualTo("turn/realm/north.gov/user/gorst/allocation/0a1b2c3d4e5f/status");
        assertThat(CoturnKeys.channel("north.gov", "gorst", "0a1b2c3d4e5f", "total_traffic"))
                .isEqualTo("turn/realm/north.gov/user/gorst/allocation/0a1b2c3d4e5f/total_traffic");
        assertThat(CoturnKeys.traffic(1, 2, 3, 4)).isEqualTo("rcvp=1, rcvb=2, sentp=3, sentb=4");
    }

    @Test
    void coturnsRangesBecomeTheFewestPrefixesAndJunkIsSkipped() {
        assertThat(Cidr.parseRange("172.17.13.200")).containsExactly(Cidr.parse("172.17.13.200/32"));
        assertThat(Cidr.parseRange("192.168.1.5-192.168.1.10")).containsExactly(Cidr.parse("192.168.1.5/32"),
                Cidr.parse("192.168.1.6/31"), Cidr.parse("192.168.1.8/31"), Cidr.parse("192.168.1.10/32"));
        assertThat(Cidr.parseRange("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).containsExactly(Cidr.parse("::/0"));
        assertThatThrownBy(() -> Cidr.parseRange("10.0.0.9-10.0.0.1")).hasMessageContaining("first <= last");
        assertThat(RedisPeerRules.prefixes(Set.of("123::45", "not an address", "10.0.0.0-10.255.255.255")))
                .containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("123::45/128"));
    }

    @Test
    void redisPeerRulesJoinTheLocalOnesAndAnAllowOfEitherWins() {
        PeerPolicy policy = new PeerPolicy(false, List.of(Cidr.parse("198.51.100.7/32")), List.of(), Set.of());
        policy.sharedRules(List.of(Cidr.parse("203.0.113.0/24")), List.of(Cidr.parse("198.51.100.0/24"),
                Cidr.parse("8.8.8.0/24")));

        assertThat(policy.rule(new InetSocketAddress("198.51.100.7", 1)).kind()).isEqualTo(PeerRule.Kind.ALLOW_PEER);
        assertThat(policy.rule(new InetSocketAddress("198.51.100.8", 1)).toString())
                .isEqualTo("denied-peer-ip 198.51.100.0/24 (Redis)");
        assertThat(policy.rule(new InetSocketAddress("203.0.113.9", 1)).kind()).isEqualTo(PeerRule.Kind.SHARED_ALLOW_PEER);
        assertThat(policy.rule(new InetSocketAddress("8.8.8.8", 1)).verdict().permitted()).isFalse();

        policy.sharedRules(List.of(), List.of()); // gone from Redis
        assertThat(policy.rule(new InetSocketAddress("8.8.8.8", 1)).kind()).isEqualTo(PeerRule.Kind.UNRESTRICTED);
        assertThat(policy.rule(new InetSocketAddress("198.51.100.7", 1)).kind()).isEqualTo(PeerRule.Kind.ALLOW_PEER);
    }

    @Test
    void aLocalUserNeverWaitsForTheRemoteStore() {
        AtomicInteger asked = new AtomicInteger();
        CredentialStore remote = new CredentialStore() {
            @Override
            public Optional<String> password(String username, long nowMillis) {
                return Optional.empty();
            }

            @Override
            public CompletableFuture<Void> lookUp(String username, long nowMillis) {
                asked.incrementAndGet();
                return new CompletableFuture<>();
            }
        };
        CredentialStore both = CredentialStore.firstOf(new StaticCredentials(Map.of("alice", "pw",
                "keyed", "0x" + "ab".repeat(16))), remote);

        assertThat(both.lookUp("alice", 0)).isNull();
        assertThat(both.lookUp("keyed", 0)).isNull();
        assertThat(asked).hasValue(0);
        assertThat(both.lookUp("remote-user", 0)).isNotNull();
        assertThat(asked).hasValue(1);
    }
}
