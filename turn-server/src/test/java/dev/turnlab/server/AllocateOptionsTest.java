package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.isError;
import static dev.turnlab.server.support.BlockingClient.relayed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.AdditionalAddressFamily;
import dev.turnlab.codec.attribute.AddressErrorCode;
import dev.turnlab.codec.attribute.AddressFamily;
import dev.turnlab.codec.attribute.DontFragment;
import dev.turnlab.codec.attribute.EvenPort;
import dev.turnlab.codec.attribute.RequestedAddressFamily;
import dev.turnlab.codec.attribute.ReservationToken;
import dev.turnlab.codec.attribute.UnknownAttributes;
import dev.turnlab.codec.attribute.XorRelayedAddress;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.Peer;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Allocate's optional attributes (RFC 8656 §7.2 rules 4-7) and the quotas (486, 508). */
class AllocateOptionsTest {

    private final MutableClock clock = MutableClock.now();

    @Test
    void evenPortWithReservationThenClaimTheToken() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start();
                BlockingClient first = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient second = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            StunMessage response = first.allocate(EvenPort.RESERVE);
            int even = relayed(response).getPort();
            assertThat(even % 2).isZero();
            long token = response.get(ReservationToken.class).token();

            StunMessage claimed = second.allocate(new ReservationToken(token));
            assertThat(relayed(claimed).getPort()).isEqualTo(even + 1);
            // A token is good once (§7.2 rule 5: unknown token → 508).
            try (BlockingClient third = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
                assertThat(isError(third.allocate(new ReservationToken(token)), 508)).isTrue();
            }
        }
    }

    @Test
    void reservationsExpire() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start();
                BlockingClient first = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient second = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            long token = first.allocate(EvenPort.RESERVE).get(ReservationToken.class).token();
            clock.advance(Duration.ofSeconds(31));
            assertThat(isError(second.allocate(new ReservationToken(token)), 508)).isTrue();
        }
    }

    @Test
    void conflictingAttributesAre400() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            assertThat(isError(client.allocate(new ReservationToken(1), EvenPort.EVEN), 400)).isTrue();
            assertThat(isError(client.allocate(new ReservationToken(1), RequestedAddressFamily.IPV4), 400)).isTrue();
            assertThat(isError(client.allocate(RequestedAddressFamily.IPV4,
                    new AdditionalAddressFamily(AddressFamily.IPV6)), 400)).isTrue();
            assertThat(isError(client.allocate(new AdditionalAddressFamily(AddressFamily.IPV4)), 400)).isTrue();
            assertThat(isError(client.allocate(EvenPort.RESERVE, new AdditionalAddressFamily(AddressFamily.IPV6)), 400)).isTrue();
        }
    }

    @Test
    void dontFragmentIsRefusedAsUnknown() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            StunMessage response = client.allocate(DontFragment.INSTANCE);
            assertThat(isError(response, 420)).isTrue();
            assertThat(response.get(UnknownAttributes.class).codes()).containsExactly(0x001A);
        }
    }

    @Test
    void ipv6RelayWhenRequestedAndOffered() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).relayAddress("127.0.0.1").relayAddress("::1").build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                Peer peer6 = Peer.on("::1")) {
            StunMessage response = client.allocate(RequestedAddressFamily.IPV6);
            InetSocketAddress relay = relayed(response);
            assertThat(relay.getAddress()).isInstanceOf(Inet6Address.class);
            assertThat(isError(client.createPermission(new InetSocketAddress("127.0.0.1", 9)), 443)).isTrue();

            client.channelBind(0x4000, peer6.address());
            client.sendChannelData(0x4000, new byte[] {1, 2, 3});
            assertThat(peer6.receive(2000).data()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void dualStackAllocation() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).relayAddress("127.0.0.1").relayAddress("::1").build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                Peer peer4 = new Peer();
                Peer peer6 = Peer.on("::1")) {
            StunMessage response = client.allocate(new AdditionalAddressFamily(AddressFamily.IPV6));
            List<XorRelayedAddress> relays = response.attributes(XorRelayedAddress.class);
            assertThat(relays).hasSize(2);
            assertThat(relays.get(0).address().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(relays.get(1).address().getAddress()).isInstanceOf(Inet6Address.class);

            client.createPermission(peer4.address());
            client.createPermission(peer6.address());
            client.sendIndication(peer4.address(), new byte[] {4});
            client.sendIndication(peer6.address(), new byte[] {6});
            assertThat(peer4.receive(2000).sender()).isEqualTo(relays.get(0).address());
            assertThat(peer6.receive(2000).sender()).isEqualTo(relays.get(1).address());
        }
    }

    @Test
    void ipv6NotOffered() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient other = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            assertThat(isError(client.allocate(RequestedAddressFamily.IPV6), 440)).isTrue();
            StunMessage partial = other.allocate(new AdditionalAddressFamily(AddressFamily.IPV6));
            assertThat(partial.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(partial.attributes(XorRelayedAddress.class)).hasSize(1);
            assertThat(partial.get(AddressErrorCode.class).code()).isEqualTo(440);
        }
    }

    @Test
    void userQuotaIs486() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).userQuota(1).build().start();
                BlockingClient first = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient second = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient bob = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret")) {
            assertThat(first.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(isError(second.allocate(), 486)).isTrue();
            assertThat(bob.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            first.refresh(0);
            assertThat(second.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        }
    }

    @Test
    void totalQuotaIs508() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).totalQuota(1).build().start();
                BlockingClient first = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient bob = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret")) {
            first.allocate();
            assertThat(isError(bob.allocate(), 508)).isTrue();
        }
    }

    @Test
    void exhaustedRelayPortsAre508() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).relayPorts(31998, 31999).build().start();
                BlockingClient a = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient b = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient c = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret")) {
            a.allocate();
            b.allocate();
            assertThat(isError(c.allocate(), 508)).isTrue();
            assertThat(server.allocations()).hasSize(2);
        }
    }
}
