package dev.turnlab.server.relay;

import dev.turnlab.server.Cidr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import java.net.InetAddress;
import dev.turnlab.server.relay.PeerPolicy.Verdict;
import dev.turnlab.testing.tools.AllocatedBytes;

/** Peer filtering (RFC 8656 §21.2.3): special-purpose addresses refused unless allowed. */
class PeerPolicyTest {

    private final PeerPolicy defaults = new PeerPolicy(false, List.of(), List.of(), Set.of());

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.1.1",
            "100.64.0.1", "0.0.0.0", "224.0.0.1", "239.255.255.250", "255.255.255.255", "192.0.2.1", "198.18.0.1",
            "::1", "::", "fe80::1", "fc00::1", "fd12::1", "ff02::1", "2001:db8::1", "::ffff:10.0.0.1",
            "64:ff9b::a00:1", "64:ff9b::7f00:1", "2002:a00:1::1", "2002:c0a8:101::", "64:ff9b:1::8.8.8.8", "3fff::1",
            "fec0::1", "::1.2.3.4", "100::1", "2001::1", "5f00::1", "192.88.99.1", "198.51.100.7", "203.0.113.9"})
    void specialPurposeAddressesAreRefused(String ip) {
        assertThat(defaults.permits(new InetSocketAddress(ip, 5000))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "172.32.0.1", "192.169.0.1", "2a00:1450::1", "1.1.1.1", "64:ff9b::808:808",
            "2002:808:808::1", "::ffff:1.1.1.1", "2001:4860::8888"})
    void globalAddressesArePermitted(String ip) {
        assertThat(defaults.permits(new InetSocketAddress(ip, 5000))).isTrue();
    }

    @Test
    void loopbackWhenAllowed() {
        PeerPolicy p = new PeerPolicy(true, List.of(), List.of(), Set.of());
        assertThat(p.permits(new InetSocketAddress("127.0.0.1", 5000))).isTrue();
        assertThat(p.permits(new InetSocketAddress("::1", 5000))).isTrue();
        assertThat(p.permits(new InetSocketAddress("10.0.0.1", 5000))).isFalse();
    }

    @Test
    void allowBeatsDenyBeatsDefaults() {
        PeerPolicy p = new PeerPolicy(false, List.of(Cidr.parse("10.1.0.0/16")),
                List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("8.8.8.0/24")), Set.of());
        assertThat(p.permits(new InetSocketAddress("10.1.2.3", 1))).isTrue();
        assertThat(p.permits(new InetSocketAddress("10.2.2.3", 1))).isFalse();
        assertThat(p.permits(new InetSocketAddress("8.8.8.8", 1))).isFalse();
        assertThat(p.permits(new InetSocketAddress("8.8.4.4", 1))).isTrue();
    }

    @Test
    void ownListeningSocketsAreNeverPeers() {
        PeerPolicy p = new PeerPolicy(true, List.of(Cidr.parse("0.0.0.0/0")), List.of(), Set.of());
        p.ownSockets(Set.of(new InetSocketAddress("127.0.0.1", 3478), new InetSocketAddress("0.0.0.0", 5349)));
        assertThat(p.permits(new InetSocketAddress("127.0.0.1", 3478))).isFalse();
        assertThat(p.permits(new InetSocketAddress("127.0.0.1", 5349))).isFalse();
        assertThat(p.permits(new InetSocketAddress("127.0.0.1", 3479))).isTrue();
    }

    @Test
    void relayPortsNoLiveAllocationHoldsAreRefusedWhateverTheRules() throws Exception {
        PeerPolicy p = new PeerPolicy(true, List.of(Cidr.parse("0.0.0.0/0")), List.of(), Set.of());
        p.relaySockets(Set.of(InetAddress.getByName("0.0.0.0")), 24000, 24010);
        assertThat(p.judge(peer("127.0.0.1", 24005))).isEqualTo(Verdict.SERVER_SOCKET);
        assertThat(p.judge(peer("::ffff:127.0.0.1", 24010))).isEqualTo(Verdict.SERVER_SOCKET);
        assertThat(p.judge(peer("127.0.0.1", 23999))).isEqualTo(Verdict.PERMITTED);
    }

    @Test
    void aLiveAllocationIsAPeerOnItsRelayAndAdvertisedAddressWithoutLoopbackPeers() throws Exception {
        // Relays bound on loopback, advertised on a (documentation) static NAT address: both special-purpose.
        PeerPolicy p = new PeerPolicy(false, List.of(), List.of(), Set.of(peer("127.0.0.1", 3478)));
        p.relaySockets(Set.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("203.0.113.5")), 24000, 24010);
        p.relayOpened(peer("203.0.113.5", 24002));

        assertThat(p.judge(peer("127.0.0.1", 24002))).isEqualTo(Verdict.OWN_RELAY);
        assertThat(p.judge(peer("203.0.113.5", 24002))).isEqualTo(Verdict.OWN_RELAY);
        assertThat(p.judge(peer("::ffff:127.0.0.1", 24002))).isEqualTo(Verdict.OWN_RELAY);
        assertThat(p.permits(peer("127.0.0.1", 24002))).isTrue();
        // The listener, a relay port nobody holds, another port of the address, the wildcard, another address.
        assertThat(p.judge(peer("127.0.0.1", 3478))).isEqualTo(Verdict.SERVER_SOCKET);
        assertThat(p.judge(peer("127.0.0.1", 24003))).isEqualTo(Verdict.SERVER_SOCKET);
        assertThat(p.judge(peer("203.0.113.5", 24003))).isEqualTo(Verdict.SERVER_SOCKET);
        assertThat(p.judge(peer("127.0.0.1", 22))).isEqualTo(Verdict.DENIED);
        assertThat(p.judge(peer("0.0.0.0", 24002))).isEqualTo(Verdict.SERVER_SOCKET);
        assertThat(p.judge(peer("127.0.0.2", 24002))).isEqualTo(Verdict.DENIED);
    }

    @Test
    void aRelayPortIsHeldPerAddressFamilyAndOnlyWhileOpen() throws Exception {
        PeerPolicy p = new PeerPolicy(false, List.of(), List.of(), Set.of());
        p.relaySockets(Set.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")), 24000, 24010);
        p.relayOpened(peer("127.0.0.1", 24002));
        assertThat(p.judge(peer("::1", 24002))).isEqualTo(Verdict.SERVER_SOCKET);
        p.relayOpened(peer("::1", 24002));
        assertThat(p.judge(peer("::1", 24002))).isEqualTo(Verdict.OWN_RELAY);

        p.relayClosed(peer("127.0.0.1", 24002));
        p.relayClosed(peer("::1", 24002));

        assertThat(p.judge(peer("127.0.0.1", 24002))).isEqualTo(Verdict.SERVER_SOCKET);
        assertThat(p.judge(peer("::1", 24002))).isEqualTo(Verdict.SERVER_SOCKET);
    }

    @Test
    void aWildcardRelayAddressHoldsItsPortsOnEveryLocalAddress() throws Exception {
        PeerPolicy p = new PeerPolicy(false, List.of(), List.of(), Set.of());
        p.relaySockets(Set.of(InetAddress.getByName("0.0.0.0")), 24000, 24010);
        // An injected port allocator may hand out a port outside the range.
        p.relayOpened(peer("0.0.0.0", 40000));
        assertThat(p.judge(peer("127.0.0.1", 40000))).isEqualTo(Verdict.OWN_RELAY);
        assertThat(p.judge(peer("127.0.0.1", 40001))).isEqualTo(Verdict.DENIED);
        p.relayClosed(peer("0.0.0.0", 40000));
        assertThat(p.judge(peer("127.0.0.1", 40000))).isEqualTo(Verdict.DENIED);
    }

    @Test
    void listenersAndTheAdminPortAreRefusedEvenWhereARelayIsHeld() throws Exception {
        PeerPolicy p = new PeerPolicy(true, List.of(Cidr.parse("0.0.0.0/0")), List.of(), Set.of());
        p.ownSockets(Set.of(peer("127.0.0.1", 3478), peer("0.0.0.0", 8080)));
        p.relaySockets(Set.of(InetAddress.getByName("127.0.0.1")), 3000, 9000);
        p.relayOpened(peer("127.0.0.1", 8080));
        assertThat(p.judge(peer("127.0.0.1", 3478))).isEqualTo(Verdict.SERVER_SOCKET);
        assertThat(p.judge(peer("127.0.0.1", 8080))).isEqualTo(Verdict.SERVER_SOCKET);
    }

    @Test
    void anExplicitDenyRuleRefusesALiveRelayUnlessAnAllowRuleWins() throws Exception {
        PeerPolicy denying = new PeerPolicy(false, List.of(), List.of(Cidr.parse("10.0.0.0/8")), Set.of());
        PeerPolicy allowing = new PeerPolicy(false, List.of(Cidr.parse("10.0.10.2/32")),
                List.of(Cidr.parse("10.0.0.0/8")), Set.of());
        for (PeerPolicy p : List.of(denying, allowing)) {
            p.relaySockets(Set.of(InetAddress.getByName("10.0.10.2")), 24000, 24010);
            p.relayOpened(peer("10.0.10.2", 24000));
        }
        assertThat(denying.judge(peer("10.0.10.2", 24000))).isEqualTo(Verdict.DENIED);
        assertThat(allowing.judge(peer("10.0.10.2", 24000))).isEqualTo(Verdict.OWN_RELAY);
    }

    @Test
    void aRefusalNamesTheRuleThatMatched() throws Exception {
        PeerPolicy p = new PeerPolicy(false, List.of(Cidr.parse("10.1.0.0/16")), List.of(Cidr.parse("8.8.8.0/24")),
                Set.of(peer("127.0.0.1", 3478)));
        p.relaySockets(Set.of(InetAddress.getByName("127.0.0.1")), 24000, 24010);
        p.relayOpened(peer("127.0.0.1", 24002));

        assertThat(p.rule(peer("10.2.3.4", 5000))).hasToString("special-purpose 10.0.0.0/8 (private, RFC 1918)");
        assertThat(p.rule(peer("::ffff:192.168.1.1", 5000)))
                .hasToString("special-purpose 192.168.0.0/16 (private, RFC 1918)");
        assertThat(p.rule(peer("64:ff9b::8.8.8.8", 53))).hasToString("--deny-peer 8.8.8.0/24");
        assertThat(p.rule(peer("127.0.0.1", 3478))).hasToString("the server's own listener 127.0.0.1:3478");
        assertThat(p.rule(peer("127.0.0.1", 24003))).hasToString("relay port not held by a live allocation");
        assertThat(p.rule(peer("0.0.0.0", 24002))).hasToString("relay port on a wildcard address");
        assertThat(p.rule(peer("::1", 5000))).hasToString("special-purpose ::1/128 (loopback, RFC 4291)");
        assertThat(p.rule(peer("255.255.255.255", 9))).hasToString("special-purpose 255.255.255.255/32 (limited broadcast, RFC 919)");
        // What permits a peer is named too; the verdict follows from the rule.
        assertThat(p.rule(peer("10.1.2.3", 5000))).hasToString("--allow-peer 10.1.0.0/16");
        assertThat(p.rule(peer("127.0.0.1", 24002)).kind()).isEqualTo(PeerRule.Kind.OWN_RELAY);
        assertThat(p.rule(peer("8.8.4.4", 53)).kind()).isEqualTo(PeerRule.Kind.UNRESTRICTED);
        assertThat(p.rule(peer("10.2.3.4", 5000)).verdict()).isEqualTo(Verdict.DENIED);
        assertThat(p.rule(peer("127.0.0.1", 3478)).verdict()).isEqualTo(Verdict.SERVER_SOCKET);
    }

    @Test
    void everySpecialPurposeEntryNamesItsRegistryEntryAndTheFirstMatchIsTheMostSpecific() {
        for (PeerRule r : PeerPolicy.SPECIAL_IPV4_RULES) {
            assertThat(r.registryEntry()).matches(".+, RFC \\d+");
        }
        for (PeerRule r : PeerPolicy.SPECIAL_IPV6_RULES) {
            assertThat(r.registryEntry()).matches(".+, RFC \\d+");
        }
        assertThat(defaults.rule(peer("::", 1))).hasToString("special-purpose ::/128 (unspecified, RFC 4291)");
        assertThat(defaults.rule(peer("::1.2.3.4", 1)))
                .hasToString("special-purpose ::/96 (IPv4-compatible, deprecated, RFC 4291)");
    }

    /**
     * Judging runs for every Send indication: it allocates nothing but one copy of the peer's address bytes
     * (24 bytes for IPv4), and only where a prefix rule decides; InetAddress has no way to read them in place.
     */
    @Test
    void judgingAllocatesAtMostOneCopyOfTheAddress() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(AllocatedBytes.measurable(),
                "this JVM does not count allocated bytes per thread");
        PeerPolicy p = new PeerPolicy(false, List.of(Cidr.parse("10.1.0.0/16")), List.of(Cidr.parse("8.8.8.0/24")),
                Set.of(peer("198.51.100.7", 3478)));
        p.relaySockets(Set.of(InetAddress.getByName("198.51.100.7")), 24000, 29999);
        p.relayOpened(peer("198.51.100.7", 24002));
        // A Send indication to a permitted peer, to a live relay, and refusals of each kind.
        List<InetSocketAddress> peers = List.of(peer("93.184.216.34", 40000), peer("198.51.100.7", 24002),
                peer("10.2.3.4", 40000), peer("8.8.8.8", 40000), peer("198.51.100.7", 3478),
                peer("198.51.100.7", 24003), peer("10.1.2.3", 40000));
        int rounds = 200_000;
        judgeAll(p, peers, rounds); // warm up: compilation allocates, the steady state must not
        long allocated = AllocatedBytes.during(() -> judgeAll(p, peers, rounds));

        // Five of the seven are decided by a prefix rule (the listener and the unheld relay port are not). The
        // slack is for a late compilation on a loaded machine; one more object per judgement would be 22 MB.
        assertThat(allocated).as("bytes allocated by %d judgements", rounds * peers.size())
                .isLessThanOrEqualTo(5L * rounds * 24 + 64 * 1024);
    }

    /**
     * Relays bound to the wildcard are reached on every address of the host, and a Send indication to a port
     * in the relay range (where browsers pick theirs too) is judged against a snapshot of those addresses,
     * which allocates nothing beyond the address copy. (The interface look-up it replaces cost some 30 us in
     * system calls, which PeerPolicyBenchmark measures; it allocated nothing either.)
     */
    @Test
    void judgingAPeerOnAWildcardRelaysPortAllocatesAtMostOneCopyOfTheAddress() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(AllocatedBytes.measurable(),
                "this JVM does not count allocated bytes per thread");
        PeerPolicy p = new PeerPolicy(false, List.of(), List.of(), Set.of(peer("0.0.0.0", 3478)));
        p.relaySockets(Set.of(InetAddress.getByName("0.0.0.0"), InetAddress.getByName("198.51.100.7")), 24000, 29999);
        p.relayOpened(peer("198.51.100.7", 24002));
        List<InetSocketAddress> peers = List.of(peer("93.184.216.34", 24000), peer("93.184.216.34", 3478),
                peer("198.51.100.7", 24002), peer("127.0.0.1", 24003));
        int rounds = 20_000;
        judgeAll(p, peers, 5 * rounds, 3); // warm up: compilation allocates, and so does Inet4Address until compiled
        long allocated = AllocatedBytes.during(() -> judgeAll(p, peers, rounds, 3));

        // One address copy for each outside peer (a prefix decides) and for the live relay (deny rules may).
        assertThat(allocated).as("bytes allocated by %d judgements", rounds * peers.size())
                .isLessThanOrEqualTo(3L * rounds * 24 + 64 * 1024);
    }

    /** The snapshot of the host's addresses is what a wildcard relay or listener is reached on. */
    @Test
    void aWildcardSocketIsReachedOnTheHostsAddressesOfTheLastSnapshot() throws Exception {
        PeerPolicy p = new PeerPolicy(false, List.of(), List.of(), Set.of(peer("0.0.0.0", 3478)));
        p.relaySockets(Set.of(InetAddress.getByName("0.0.0.0")), 24000, 24010);
        p.hostAddresses(Set.of(InetAddress.getByName("198.51.100.9"), InetAddress.getByName("2001:db8::9")));
        p.relayOpened(peer("198.51.100.9", 24002));

        assertThat(p.judge(peer("198.51.100.9", 3478))).isEqualTo(Verdict.SERVER_SOCKET);
        assertThat(p.judge(peer("198.51.100.9", 24003))).isEqualTo(Verdict.SERVER_SOCKET);
        assertThat(p.judge(peer("198.51.100.9", 24002))).isEqualTo(Verdict.OWN_RELAY);
        assertThat(p.judge(peer("198.51.100.10", 24003))).isEqualTo(Verdict.DENIED); // documentation prefix
        p.relayClosed(peer("198.51.100.9", 24002));
        assertThat(p.judge(peer("198.51.100.9", 24002))).isEqualTo(Verdict.SERVER_SOCKET);

        p.hostAddresses(Set.of());
        assertThat(p.judge(peer("198.51.100.9", 3478))).isEqualTo(Verdict.DENIED);
        // Loopback needs no snapshot: all of 127.0.0.0/8 and ::1 reach a wildcard socket.
        assertThat(p.judge(peer("127.0.0.2", 24003))).isEqualTo(Verdict.SERVER_SOCKET);
        assertThat(p.judge(peer("127.255.0.1", 3478))).isEqualTo(Verdict.SERVER_SOCKET);
        assertThat(p.judge(peer("128.0.0.1", 24003))).isEqualTo(Verdict.PERMITTED);
    }

    /** Recording a wildcard socket takes the snapshot: each of the host's own addresses is the server. */
    @Test
    void recordingAWildcardRelaySnapshotsTheHostsAddresses() throws Exception {
        PeerPolicy p = new PeerPolicy(true, List.of(), List.of(), Set.of());
        p.relaySockets(Set.of(InetAddress.getByName("0.0.0.0"), InetAddress.getByName("::")), 24000, 24010);
        for (InetAddress own : HostAddresses.snapshot()) {
            assertThat(p.judge(new InetSocketAddress(own, 24005))).as("%s", own).isEqualTo(Verdict.SERVER_SOCKET);
        }
        assertThat(HostAddresses.snapshot()).contains(InetAddress.getByName("127.0.0.1"));
    }

    private static void judgeAll(PeerPolicy p, List<InetSocketAddress> peers, int rounds) {
        judgeAll(p, peers, rounds, 3);
    }

    private static void judgeAll(PeerPolicy p, List<InetSocketAddress> peers, int rounds, int permittedEach) {
        int permitted = 0;
        for (int i = 0; i < rounds; i++) {
            for (int j = 0; j < peers.size(); j++) {
                permitted += p.rule(peers.get(j)).verdict().permitted() ? 1 : 0;
            }
        }
        assertThat(permitted).isEqualTo(permittedEach * rounds);
    }

    private static InetSocketAddress peer(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    @Test
    void cidrParsingAndMatching() {
        assertThat(Cidr.parse("192.168.1.77/24").toString()).isEqualTo("192.168.1.0/24");
        assertThat(Cidr.parse("fe80::1/10").contains(new InetSocketAddress("febf::1", 0).getAddress())).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(new InetSocketAddress("::1", 0).getAddress())).isFalse();
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessage("cidr: /33 (expected: 0-32)");
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).hasMessageStartingWith("cidr: example.com/8");
    }

    @Test
    void embeddedIpv4RulesApplyThroughTheIpv6Forms() {
        PeerPolicy p = new PeerPolicy(false, List.of(Cidr.parse("10.1.0.0/16")), List.of(Cidr.parse("8.8.8.0/24")),
                Set.of());
        assertThat(p.permits(new InetSocketAddress("64:ff9b::10.1.2.3", 1))).isTrue();
        assertThat(p.permits(new InetSocketAddress("2002:a01:203::1", 1))).isTrue();
        assertThat(p.permits(new InetSocketAddress("64:ff9b::8.8.8.8", 1))).isFalse();
        assertThat(p.permits(new InetSocketAddress("2002:808:808::1", 1))).isFalse();
        // An explicit IPv6 rule for the NAT64 prefix wins too.
        PeerPolicy nat64 = new PeerPolicy(false, List.of(Cidr.parse("64:ff9b::/96")), List.of(), Set.of());
        assertThat(nat64.permits(new InetSocketAddress("64:ff9b::10.0.0.1", 1))).isTrue();
    }

    // Properties: jqwik generates addresses.

    private static final List<PeerPolicy> POLICIES = List.of(
            new PeerPolicy(false, List.of(), List.of(), Set.of()),
            new PeerPolicy(true, List.of(), List.of(), Set.of()),
            new PeerPolicy(false, List.of(Cidr.parse("10.0.0.0/9"), Cidr.parse("192.0.2.0/25")),
                    List.of(Cidr.parse("8.0.0.0/7"), Cidr.parse("10.0.0.0/8")), Set.of()));

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress v6(int prefix0, int prefix1, byte[] v4, int offset) {
        byte[] a = new byte[16];
        a[0] = (byte) (prefix0 >>> 8);
        a[1] = (byte) prefix0;
        a[2] = (byte) (prefix1 >>> 8);
        a[3] = (byte) prefix1;
        System.arraycopy(v4, 0, a, offset, 4);
        return address(a);
    }

    @Property
    void anIpv6FormIsJudgedAsTheIpv4AddressItCarries(@ForAll @Size(4) byte[] v4, @ForAll @IntRange(max = 2) int which,
            @ForAll @IntRange(min = 1, max = 65535) int port) {
        PeerPolicy p = POLICIES.get(which);
        boolean expected = p.permits(new InetSocketAddress(address(v4), port));
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, mapped, 12, 4);
        // ::ffff:a.b.c.d (Java may already give it as IPv4), 64:ff9b::a.b.c.d and 2002:aabb:ccdd::.
        assertThat(p.permits(new InetSocketAddress(address(mapped), port))).isEqualTo(expected);
        assertThat(p.permits(new InetSocketAddress(v6(0x64, 0xff9b, v4, 12), port))).isEqualTo(expected);
        assertThat(p.permits(new InetSocketAddress(v6(0x2002, 0, v4, 2), port))).isEqualTo(expected);
    }

    @Property
    void everyAddressOfASpecialPrefixIsRefusedUnlessAllowed(@ForAll @IntRange(max = 1000) int pick,
            @ForAll @Size(16) byte[] host) {
        List<Cidr> all = new java.util.ArrayList<>();
        PeerPolicy.SPECIAL_IPV4_RULES.forEach(r -> all.add(r.prefix()));
        PeerPolicy.SPECIAL_IPV6_RULES.forEach(r -> all.add(r.prefix()));
        Cidr prefix = all.get(pick % all.size());
        byte[] a = prefix.network();
        for (int bit = prefix.prefixLength(); bit < a.length * 8; bit++) {
            a[bit / 8] |= (byte) (host[bit / 8] & (0x80 >>> (bit % 8)));
        }
        InetSocketAddress peer = new InetSocketAddress(address(a), 5000);

        assertThat(defaults.permits(peer)).isFalse();
        assertThat(new PeerPolicy(false, List.of(prefix), List.of(), Set.of()).permits(peer)).isTrue();
        assertThat(new PeerPolicy(true, List.of(prefix), List.of(prefix), Set.of()).permits(peer)).isTrue();
    }

    @Property
    void denyBeatsDefaultsAndLoopbackAndAllowBeatsDeny(@ForAll @Size(16) byte[] bytes, @ForAll boolean ipv4) {
        InetAddress ip = address(ipv4 ? java.util.Arrays.copyOf(bytes, 4) : bytes);
        InetSocketAddress peer = new InetSocketAddress(ip, 5000);
        List<Cidr> everything = List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0"));

        assertThat(new PeerPolicy(true, List.of(), everything, Set.of()).permits(peer)).isFalse();
        assertThat(new PeerPolicy(false, everything, everything, Set.of()).permits(peer)).isTrue();
    }
}
