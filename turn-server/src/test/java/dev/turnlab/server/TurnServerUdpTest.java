package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.isError;
import static dev.turnlab.server.support.BlockingClient.relayed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.TransactionId;
import dev.turnlab.codec.attribute.ChangeRequest;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.codec.attribute.MappedAddress;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.UnknownAttribute;
import dev.turnlab.codec.attribute.UnknownAttributes;
import dev.turnlab.codec.attribute.XorMappedAddress;
import dev.turnlab.codec.attribute.XorPeerAddress;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.Peer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every TURN method and error over UDP on loopback, with real sockets and a frozen clock. */
class TurnServerUdpTest {

    private final MutableClock clock = MutableClock.now();
    private TurnServer server;
    private BlockingClient client;
    private Peer peer;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.loopback(clock).build().start();
        client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
        peer = new Peer();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        peer.close();
        server.close();
    }

    @Test
    void bindingAnswersWithoutAuthentication() throws Exception {
        StunMessage response = client.exchange(StunMessage.request(Method.BINDING).fingerprint().build());

        assertThat(response.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(response.get(XorMappedAddress.class).address()).isEqualTo(client.localAddress());
        assertThat(response.get(Software.class)).isNotNull();
        assertThat(response.hasFingerprint()).isTrue();
    }

    @Test
    void classicBindingGetsMappedAddress() throws Exception {
        StunMessage request = StunMessage.request(Method.BINDING)
                .transactionId(TransactionId.of(new byte[16])).build();

        StunMessage response = client.exchange(request);

        assertThat(response.get(MappedAddress.class).address()).isEqualTo(client.localAddress());
        assertThat(response.get(XorMappedAddress.class)).isNull();
    }

    @Test
    void changeRequestWithoutChangesIsHarmlessAndWithChangesIs420() throws Exception {
        StunMessage nothing = client.exchange(StunMessage.request(Method.BINDING)
                .add(new ChangeRequest(false, false)).build());
        StunMessage change = client.exchange(StunMessage.request(Method.BINDING)
                .add(new ChangeRequest(true, false)).build());

        assertThat(nothing.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(isError(change, 420)).isTrue();
        assertThat(change.get(UnknownAttributes.class).codes()).containsExactly(0x0003);
    }

    @Test
    void refreshWithAFamilyTheAllocationLacksIs443() throws Exception {
        client.allocate();

        StunMessage response = client.authenticated(Method.REFRESH,
                dev.turnlab.codec.attribute.RequestedAddressFamily.IPV6);

        assertThat(isError(response, 443)).isTrue();
    }

    @Test
    void allocateWithoutCredentialsIsChallenged() throws Exception {
        StunMessage response = client.exchange(StunMessage.request(Method.ALLOCATE).add(RequestedTransport.UDP).build());

        assertThat(isError(response, 401)).isTrue();
        assertThat(response.get(Realm.class).value()).isEqualTo("turnlab");
        assertThat(response.get(Nonce.class).value()).startsWith("obMatJos2");
        assertThat(response.hasIntegrity()).isFalse();
    }

    @Test
    void allocateCreatesARelayInTheRange() throws Exception {
        StunMessage response = client.allocate();

        assertThat(response.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(relayed(response).getPort()).isBetween(TestServers.RELAY_MIN, TestServers.RELAY_MAX);
        assertThat(relayed(response).getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(response.get(Lifetime.class).seconds()).isEqualTo(600);
        assertThat(response.get(XorMappedAddress.class).address()).isEqualTo(client.localAddress());
        assertThat(response.verifyIntegrity(BlockingClient.key("alice", "turnlab", "alice-secret"))).isTrue();
        assertThat(server.allocations()).hasSize(1);
    }

    @Test
    void wrongPasswordIs401AndUnknownUserIs401() throws Exception {
        try (BlockingClient wrong = BlockingClient.udp(server.udpAddress(), "alice", "not-it");
                BlockingClient unknown = BlockingClient.udp(server.udpAddress(), "mallory", "x")) {
            assertThat(isError(wrong.allocate(), 401)).isTrue();
            assertThat(isError(unknown.allocate(), 401)).isTrue();
        }
        assertThat(server.allocations()).isEmpty();
        assertThat(server.counters().authRejectionCount()).isEqualTo(2);
    }

    @Test
    void staleNonceIs438WithAFreshNonce() throws Exception {
        assertThat(client.exchange(StunMessage.request(Method.ALLOCATE).add(RequestedTransport.UDP).build()))
                .satisfies(client::learn);
        String first = client.nonce();
        clock.advance(Duration.ofMinutes(11));

        StunMessage response = client.exchange(client.signed(Method.ALLOCATE, RequestedTransport.UDP));

        assertThat(isError(response, 438)).isTrue();
        assertThat(response.get(Nonce.class).value()).isNotEqualTo(first);
        client.learn(response);
        assertThat(client.exchange(client.signed(Method.ALLOCATE, RequestedTransport.UDP)).stunClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    @Test
    void secondAllocateIs437ButARetransmissionGetsTheSameAnswer() throws Exception {
        client.allocate();
        StunMessage request = client.signed(Method.ALLOCATE, RequestedTransport.UDP);
        assertThat(isError(client.exchange(request), 437)).isTrue();

        try (BlockingClient other = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            other.allocate();
            other.refresh(0);
            // The deallocation made the 5-tuple's nonce stale (RFC 8656 §21): one 438 with a fresh nonce first.
            StunMessage stale = other.exchange(other.signed(Method.ALLOCATE, RequestedTransport.UDP));
            assertThat(isError(stale, 438)).isTrue();
            other.learn(stale);
            StunMessage original = other.signed(Method.ALLOCATE, RequestedTransport.UDP);
            StunMessage first = other.exchange(original);
            StunMessage again = other.exchange(original);
            assertThat(first.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(relayed(again)).isEqualTo(relayed(first));
        }
    }

    @Test
    void requestedTransportIsRequiredAndMustBeUdpOverUdp() throws Exception {
        assertThat(isError(client.authenticated(Method.ALLOCATE), 400)).isTrue();
        // RFC 6062 §5.1: a TCP relay only for a client on TCP or TLS; a transport other than UDP or TCP: 442.
        assertThat(isError(client.authenticated(Method.ALLOCATE, RequestedTransport.TCP), 400)).isTrue();
        assertThat(isError(client.authenticated(Method.ALLOCATE, new RequestedTransport(132)), 442)).isTrue();
    }

    @Test
    void unknownComprehensionRequiredAttributeIs420() throws Exception {
        StunMessage response = client.allocate(new UnknownAttribute(0x7F01, new byte[4]));

        assertThat(isError(response, 420)).isTrue();
        assertThat(response.get(UnknownAttributes.class).codes()).containsExactly(0x7F01);
        assertThat(response.hasIntegrity()).isTrue();
    }

    @Test
    void refreshFollowsTheLifetimeRules() throws Exception {
        client.allocate();

        assertThat(client.refresh(1200).get(Lifetime.class).seconds()).isEqualTo(1200);
        assertThat(client.refresh(7200).get(Lifetime.class).seconds()).isEqualTo(3600);
        assertThat(client.refresh(60).get(Lifetime.class).seconds()).isEqualTo(600);
        int free = server.availableRelayPorts();
        assertThat(client.refresh(0).get(Lifetime.class).seconds()).isZero();
        assertThat(server.allocations()).isEmpty();
        awaitFreePorts(free + 1);
        assertThat(isError(client.refresh(600), 437)).isTrue();
    }

    @Test
    void allocationExpiresWithTheClock() throws Exception {
        client.allocate();
        clock.advance(Duration.ofSeconds(601));

        assertThat(isError(client.refresh(600), 437)).isTrue();
        assertThat(server.allocations()).isEmpty();
    }

    @Test
    void anExpiredAllocationNotYetSweptIsNoAllocation() throws Exception {
        int free = server.availableRelayPorts();
        client.allocate();
        clock.advance(Duration.ofSeconds(601));

        // No sweep ran: the request itself finds the allocation expired, deletes it and frees its port.
        assertThat(isError(client.createPermission(peer.address()), 437)).isTrue();
        awaitFreePorts(free);
        assertThat(isError(client.channelBind(0x4000, peer.address()), 437)).isTrue();
        assertThat(client.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(server.allocations()).hasSize(1);
    }

    @Test
    void aNewAllocateReplacesAnExpiredAllocationOfTheSameFiveTuple() throws Exception {
        int free = server.availableRelayPorts();
        InetSocketAddress first = relayed(client.allocate());
        clock.advance(Duration.ofSeconds(601));

        StunMessage second = client.allocate();

        assertThat(second.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(server.allocations()).hasSize(1);
        assertThat(relayed(second)).isNotEqualTo(first);
        awaitFreePorts(free - 1);
    }

    @Test
    void sendIndicationsOfAnExpiredAllocationAreDropped() throws Exception {
        client.allocate();
        clock.advance(Duration.ofSeconds(400));
        client.createPermission(peer.address()); // lives until 700 s, the allocation until 600 s
        clock.advance(Duration.ofSeconds(200));
        long dropped = server.counters().droppedIndicationCount();

        client.sendIndication(peer.address(), bytes("late"));
        client.exchange(StunMessage.request(Method.BINDING).build());

        assertThat(server.counters().droppedIndicationCount()).isEqualTo(dropped + 1);
        assertThat(peer.receive(300)).isNull();
    }

    @Test
    void dataOfAnExpiredAllocationNotYetSweptIsDroppedBothWays() throws Exception {
        InetSocketAddress relay = relayed(client.allocate());
        clock.advance(Duration.ofSeconds(400));
        client.channelBind(0x4001, peer.address()); // bound until 1000 s, the allocation lives until 600 s
        clock.advance(Duration.ofSeconds(200));

        client.sendChannelData(0x4001, bytes("late"));
        peer.send(relay, bytes("late too"));

        assertThat(peer.receive(300)).isNull();
        assertThat(client.receiveRaw(300)).isNull();
    }

    @Test
    void theSweeperClosesExpiredAllocationsWithoutAnyRequest() throws Exception {
        int free = server.availableRelayPorts();
        client.allocate();
        try (BlockingClient other = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret")) {
            other.allocate();
            other.refresh(3600);
            clock.advance(Duration.ofSeconds(601));

            server.sweepNow();

            assertThat(server.allocations()).hasSize(1);
            assertThat(server.allocations().get(0).username()).isEqualTo("bob");
            awaitFreePorts(free - 1);
        }
    }

    @Test
    void anotherClientCannotUseOrDisturbAnAllocation() throws Exception {
        InetSocketAddress relay = relayed(client.allocate());
        client.channelBind(0x4001, peer.address());
        try (BlockingClient intruder = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            // Same user, other 5-tuple: no allocation of its own, so nothing to refresh or bind.
            intruder.sendChannelData(0x4001, bytes("not yours"));
            assertThat(isError(intruder.refresh(0), 437)).isTrue();
            assertThat(isError(intruder.channelBind(0x4002, peer.address()), 437)).isTrue();
            intruder.sendIndication(peer.address(), bytes("nor this"));
        }
        assertThat(peer.receive(300)).isNull();
        client.sendChannelData(0x4001, bytes("still mine"));
        assertThat(peer.receive(2000).data()).isEqualTo(bytes("still mine"));
        assertThat(server.allocations()).singleElement().satisfies(a -> assertThat(a.relayedAddress()).isEqualTo(relay));
    }

    @Test
    void createPermissionThenDataBothWaysByIndication() throws Exception {
        InetSocketAddress relay = relayed(client.allocate());
        try (Peer second = new Peer()) {
            StunMessage response = client.createPermission(peer.address(), second.address());
            assertThat(response.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

            client.sendIndication(peer.address(), bytes("to peer"));
            Peer.Received atPeer = peer.receive(2000);
            assertThat(atPeer.data()).isEqualTo(bytes("to peer"));
            assertThat(atPeer.sender()).isEqualTo(relay);

            second.send(relay, bytes("from second"));
            StunMessage data = BlockingClient.decode(client.receiveRaw(2000));
            assertThat(data.method()).isEqualTo(Method.DATA);
            assertThat(data.stunClass()).isEqualTo(StunClass.INDICATION);
            assertThat(data.get(XorPeerAddress.class).address()).isEqualTo(second.address());
            assertThat(data.get(Data.class).value()).isEqualTo(bytes("from second"));
        }
    }

    @Test
    void withoutPermissionNothingIsRelayed() throws Exception {
        InetSocketAddress relay = relayed(client.allocate());

        client.sendIndication(peer.address(), bytes("no permission"));
        peer.send(relay, bytes("no permission either"));

        assertThat(peer.receive(300)).isNull();
        assertThat(client.receiveRaw(300)).isNull();
    }

    @Test
    void permissionsExpireAfterFiveMinutes() throws Exception {
        InetSocketAddress relay = relayed(client.allocate());
        client.createPermission(peer.address());
        clock.advance(Duration.ofSeconds(301));

        peer.send(relay, bytes("late"));

        assertThat(client.receiveRaw(300)).isNull();
    }

    @Test
    void channelDataBothWays() throws Exception {
        InetSocketAddress relay = relayed(client.allocate());
        assertThat(client.channelBind(0x4001, peer.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

        client.sendChannelData(0x4001, bytes("hello peer"));
        Peer.Received atPeer = peer.receive(2000);
        assertThat(atPeer.data()).isEqualTo(bytes("hello peer"));
        assertThat(atPeer.sender()).isEqualTo(relay);

        peer.send(relay, bytes("hello client"));
        byte[] frame = client.receiveRaw(2000);
        assertThat(frame[0]).isEqualTo((byte) 0x40);
        assertThat(frame[1]).isEqualTo((byte) 0x01);
        assertThat(new String(frame, 4, frame.length - 4, StandardCharsets.UTF_8)).isEqualTo("hello client");
        Allocation allocation = server.allocations().get(0);
        // The counters belong to the event loop; read them from there.
        allocation.client().eventLoop().submit(() -> { }).syncUninterruptibly();
        assertThat(allocation.packetsToPeer()).isEqualTo(1);
        assertThat(allocation.bytesToPeer()).isEqualTo(10);
        assertThat(allocation.packetsToClient()).isEqualTo(1);
    }

    @Test
    void largeDatagramsAreRelayedWhole() throws Exception {
        InetSocketAddress relay = relayed(client.allocate());
        client.channelBind(0x4001, peer.address());
        byte[] big = new byte[20_000];
        new java.util.Random(7).nextBytes(big);

        client.sendChannelData(0x4001, big);
        assertThat(peer.receive(2000).data()).isEqualTo(big);
        peer.send(relay, big);
        byte[] frame = client.receiveRaw(2000);
        assertThat(java.util.Arrays.copyOfRange(frame, 4, frame.length)).isEqualTo(big);
    }

    @Test
    void datagramsReadInOneBatchAreEachRelayedWhole() throws Exception {
        // Sent back to back so that they queue and the server reads several with one recvmmsg; the
        // largest ChannelData fits the largest IPv4 UDP payload (65,507 bytes) with its 4-byte header.
        InetSocketAddress relay = relayed(client.allocate());
        client.channelBind(0x4001, peer.address());
        // Not 0: Netty's datagram channels skip empty datagrams on write. About 90 KB in all, within the
        // default 208 KiB receive buffers of the test's sockets, which read only once everything is sent.
        int[] sizes = {1, 65_503, 100, 20_000, 4, 1_500, 7, 300};
        java.util.Random random = new java.util.Random(11);
        byte[][] payloads = new byte[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            payloads[i] = new byte[sizes[i]];
            random.nextBytes(payloads[i]);
        }

        for (byte[] payload : payloads) {
            client.sendChannelData(0x4001, payload);
        }
        for (byte[] payload : payloads) {
            assertThat(peer.receive(2000).data()).isEqualTo(payload);
        }
        for (byte[] payload : payloads) {
            peer.send(relay, payload);
        }
        for (byte[] payload : payloads) {
            byte[] frame = client.receiveRaw(2000);
            assertThat(java.util.Arrays.copyOfRange(frame, 4, frame.length)).isEqualTo(payload);
        }
    }

    @Test
    void anEmptyDatagramFromThePeerReachesTheClientAsChannelDataOfLengthZero() throws Exception {
        InetSocketAddress relay = relayed(client.allocate());
        client.channelBind(0x4001, peer.address());

        peer.send(relay, new byte[0]);

        assertThat(client.receiveRaw(2000)).containsExactly(0x40, 0x01, 0x00, 0x00);
    }

    @Test
    void channelRebindingRules() throws Exception {
        client.allocate();
        try (Peer second = new Peer()) {
            assertThat(client.channelBind(0x4000, peer.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            // Refreshing the same binding is fine (RFC 8656 §11.2).
            assertThat(client.channelBind(0x4000, peer.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(isError(client.channelBind(0x4000, second.address()), 400)).isTrue();
            assertThat(isError(client.channelBind(0x4002, peer.address()), 400)).isTrue();
            assertThat(isError(client.channelBind(0x3FFF, second.address()), 400)).isTrue();
            assertThat(isError(client.channelBind(0x8000, second.address()), 400)).isTrue();
            // Expired, then held for five more minutes against rebinding (RFC 8656 §12).
            client.refresh(3600);
            clock.advance(Duration.ofSeconds(601));
            client.refresh(600);
            assertThat(isError(client.channelBind(0x4000, second.address()), 400)).isTrue();
            clock.advance(Duration.ofSeconds(300));
            client.refresh(600);
            assertThat(client.channelBind(0x4000, second.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        }
    }

    @Test
    void rfc5766ChannelNumbersWork() throws Exception {
        InetSocketAddress relay = relayed(client.allocate());
        // RFC 5766 §11 clients (coturn's uclient) bind up to 0x7FFF; RFC 8656 narrowed it to 0x4FFF.
        assertThat(client.channelBind(0x7ABC, peer.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

        client.sendChannelData(0x7ABC, bytes("legacy"));
        assertThat(peer.receive(2000).data()).isEqualTo(bytes("legacy"));
        peer.send(relay, bytes("back"));
        byte[] frame = client.receiveRaw(2000);
        assertThat(frame[0]).isEqualTo((byte) 0x7A);
        assertThat(frame[1]).isEqualTo((byte) 0xBC);
    }

    @Test
    void expiredChannelDropsChannelData() throws Exception {
        client.allocate();
        client.channelBind(0x4001, peer.address());
        clock.advance(Duration.ofSeconds(601));

        client.sendChannelData(0x4001, bytes("late"));

        assertThat(peer.receive(300)).isNull();
    }

    @Test
    void peerFamilyMismatchIs443() throws Exception {
        client.allocate();

        StunMessage response = client.createPermission(new InetSocketAddress(InetAddress.getByName("::1"), 5000));

        assertThat(isError(response, 443)).isTrue();
    }

    @Test
    void ownListeningSocketIsForbidden() throws Exception {
        client.allocate();

        assertThat(isError(client.channelBind(0x4000, server.udpAddress()), 403)).isTrue();
    }

    @Test
    void otherCredentialsOnTheSameFiveTupleAre441() throws Exception {
        client.allocate();
        BlockingClient bob = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret");
        bob.close();
        // Bob's credentials from Alice's socket: a second client object would use another port, so sign by hand.
        StunMessage asBob = StunMessage.request(Method.REFRESH)
                .add(new dev.turnlab.codec.attribute.Username("bob"), new Realm(client.realm()), new Nonce(client.nonce()))
                .integrity(BlockingClient.key("bob", "turnlab", "bob-secret")).build();

        assertThat(isError(client.exchange(asBob), 441)).isTrue();
    }

    @Test
    void malformedPacketsAreCountedAndDoNotHurt() throws Exception {
        client.sendRaw(new byte[] {(byte) 0xFF, 1, 2, 3});
        byte[] badRequest = BlockingClient.encode(StunMessage.request(Method.BINDING).build());
        byte[] truncated = java.util.Arrays.copyOf(badRequest, 28);
        truncated[3] = 8; // one attribute, SOFTWARE, whose length runs past the end
        truncated[20] = (byte) 0x80;
        truncated[21] = 0x22;
        truncated[23] = 100;
        client.sendRaw(truncated);

        StunMessage response = BlockingClient.decode(client.receiveRaw(2000));

        assertThat(isError(response, 400)).isTrue();
        assertThat(server.counters().unknownPacketCount()).isEqualTo(1);
        assertThat(server.counters().malformedCount()).isEqualTo(1);
        assertThat(client.exchange(StunMessage.request(Method.BINDING).build()).stunClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    @Test
    void datagramsAreToldApartByTheirFirstByteAlone() throws Exception {
        // RFC 7983 §7: 0-3 is STUN, however short (so malformed, and not answered); 20-63 is DTLS; none is empty.
        client.sendRaw(new byte[] {0x00, 0x01, 0x00});
        client.sendRaw(new byte[] {0x16, (byte) 0xFE, (byte) 0xFD});
        client.sendRaw(new byte[0]);

        assertThat(client.exchange(StunMessage.request(Method.BINDING).build()).stunClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(server.counters().malformedCount()).isEqualTo(1);
        assertThat(server.counters().unknownPacketCount()).isEqualTo(2);
    }

    @Test
    void unknownMethodIs400() throws Exception {
        StunMessage response = client.exchange(StunMessage.request(Method.valueOf(0x07F)).build());

        assertThat(response.get(ErrorCode.class).code()).isEqualTo(400);
        // RFC 6062's Connect is known, and means nothing on a UDP allocation.
        client.allocate();
        assertThat(isError(client.authenticated(Method.CONNECT, new XorPeerAddress(peer.address())), 400)).isTrue();
    }

    @Test
    void permissionsAndChannelsPerAllocationAreCappedWith508() throws Exception {
        try (TurnServer capped = TestServers.loopback(clock).peerQuota(2).build().start();
                BlockingClient c = BlockingClient.udp(capped.udpAddress(), "alice", "alice-secret")) {
            c.allocate();
            InetSocketAddress a = new InetSocketAddress("127.0.0.2", 5000);
            InetSocketAddress b = new InetSocketAddress("127.0.0.3", 5000);
            InetSocketAddress third = new InetSocketAddress("127.0.0.4", 5000);
            assertThat(c.createPermission(a, b).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

            assertThat(isError(c.createPermission(third), 508)).isTrue();
            assertThat(isError(c.channelBind(0x4000, third), 508)).isTrue();
            // Refreshing what is held still works, and so does binding a channel to a permitted peer.
            assertThat(c.createPermission(b, a).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(c.channelBind(0x4000, a).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(capped.allocations().get(0).permissionCount(clock.millis())).isEqualTo(2);
        }
    }

    private void awaitFreePorts(int expected) throws InterruptedException {
        for (int i = 0; i < 100 && server.availableRelayPorts() != expected; i++) {
            Thread.sleep(10);
        }
        assertThat(server.availableRelayPorts()).isEqualTo(expected);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
