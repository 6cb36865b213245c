package dev.turnlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.dtls.DtlsCounters;
import dev.turnlab.codec.dtls.DtlsEngines;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.testing.TurnServerExtension;
import dev.turnlab.testing.tools.Peer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TURN over DTLS (RFC 7350): our client and our server's DTLS listener, which a TLS listener brings along on
 * the same port number; then what a hostile sender does to that listener.
 */
class DtlsTransportTest {

    @RegisterExtension
    static final TurnServerExtension turn = TurnServerExtension.builder().tls().build();

    @Test
    void allocatesAndRelaysBothWaysOverDtls() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (Peer peer = new Peer();
                TurnClient client = turn.clientBuilder(Transport.DTLS)
                        .onData((from, data) -> received.add(from + " " + text(data))).build()) {
            Allocation allocation = client.allocate().join().value();
            client.channelBind(peer.address()).join().value();

            client.send(peer.address(), bytes("over dtls")).join();
            Peer.Received toPeer = peer.receive(5000);
            assertThat(toPeer).isNotNull();
            assertThat(text(toPeer.data())).isEqualTo("over dtls");
            assertThat(toPeer.sender()).isEqualTo(allocation.relayedAddress());
            peer.send(allocation.relayedAddress(), bytes("back over dtls"));

            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(peer.address() + " back over dtls");
            FiveTuple tuple = turn.server().allocations().get(0).fiveTuple();
            assertThat(tuple.toString()).startsWith("dtls ");
            assertThat(tuple.server()).isEqualTo(turn.server().dtlsAddress());
            assertThat(turn.server().dtlsCounters().handshakes()).isPositive();
        }
    }

    @Test
    void theDtlsPortDefaultsToTheTlsPortNumberAndIsOffWithNoDtls() {
        try (TurnServer on = TurnServer.builder().listen("127.0.0.1").port(0).tlsPort(0).dtlsPort(0)
                .user("a", "b").build().start();
                TurnServer off = TurnServer.builder().listen("127.0.0.1").port(0).tlsPort(0).noDtls()
                        .user("a", "b").build().start()) {
            assertThat(on.dtlsAddress()).isNotNull();
            assertThat(off.dtlsAddress()).isNull();
            assertThat(TurnServer.builder().user("a", "b").tlsPort(5349).build().config().listeners().dtlsPort()).isEqualTo(5349);
            assertThat(TurnServer.builder().user("a", "b").build().config().listeners().dtls()).isFalse();
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateFailsTheHandshake() {
        try (TurnClient client = turn.clientBuilder(Transport.DTLS).connectTimeout(Duration.ofSeconds(5))
                .dtlsEngines(DtlsEngines.client(context(), "HTTPS")).build()) {
            Throwable failure = client.binding().handle((r, e) -> e).join();

            assertThat(failure).hasCauseInstanceOf(NoAnswerException.class);
            assertThat(((NoAnswerException) failure.getCause()).reason()).isEqualTo(NoAnswerException.Reason.TLS_FAILED);
            assertThat(failure.getCause().getCause()).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    @Test
    void garbageAndAStalledHandshakeAreDroppedCountedAndHarmNoClient() throws Exception {
        DtlsCounters counters = turn.server().dtlsCounters();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (Peer peer = new Peer(); DatagramSocket hostile = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                TurnClient client = turn.clientBuilder(Transport.DTLS).onData((from, data) -> received.add(text(data)))
                        .build()) {
            Allocation allocation = client.allocate().join().value();
            client.createPermission(peer.address().getAddress()).join().value();
            long droppedBefore = counters.droppedDatagrams();
            long timeoutsBefore = counters.handshakeTimeouts();
            long failuresBefore = counters.handshakeFailures();

            InetSocketAddress dtls = turn.dtlsAddress();
            byte[] stun = {0, 1, 0, 0, 0x21, 0x12, (byte) 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
            byte[] fakeRecord = new byte[40];
            fakeRecord[0] = 23; // application data, DTLS 1.2, epoch 1, from an address without an association
            fakeRecord[1] = (byte) 0xFE;
            fakeRecord[2] = (byte) 0xFD;
            fakeRecord[4] = 1;
            fakeRecord[12] = 27;
            for (byte[] junk : new byte[][] {stun, fakeRecord, "not dtls at all".getBytes(StandardCharsets.US_ASCII), {}}) {
                hostile.send(new DatagramPacket(junk, junk.length, dtls));
            }
            // A ClientHello that is never followed up: the server answers (HelloVerifyRequest) and waits in vain.
            hostile.send(new DatagramPacket(clientHello(dtls), clientHello(dtls).length, dtls));

            await(() -> counters.droppedDatagrams() >= droppedBefore + 4, Duration.ofSeconds(10));
            await(() -> counters.handshakeTimeouts() > timeoutsBefore, Duration.ofSeconds(40));
            assertThat(counters.handshakeFailures()).isEqualTo(failuresBefore);

            client.send(peer.address(), bytes("still relaying")).join();
            assertThat(text(peer.receive(5000).data())).isEqualTo("still relaying");
            peer.send(allocation.relayedAddress(), bytes("and back"));
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("and back");
        }
    }

    @Test
    void aClientThatClosesSendsCloseNotifyAndTheServerForgetsItsAssociation() throws Exception {
        DtlsCounters counters = turn.server().dtlsCounters();
        long closedBefore = counters.closed();
        TurnClient client = turn.clientBuilder(Transport.DTLS).build();
        assertThat(client.binding().join().isSuccess()).isTrue();
        long sessions = counters.sessions();

        client.close();

        await(() -> counters.closed() == closedBefore + 1, Duration.ofSeconds(10));
        await(() -> counters.sessions() == sessions - 1, Duration.ofSeconds(10));
    }

    @Test
    void handshakesFromOneAddressAreCappedAndTheRestRefused() throws Exception {
        DtlsCounters counters = turn.server().dtlsCounters();
        long refusedBefore = counters.refusedHandshakes();
        InetSocketAddress dtls = turn.dtlsAddress();
        byte[] hello = clientHello(dtls);
        long sessionsBefore = counters.sessions();
        int cap = dev.turnlab.codec.dtls.DtlsLimits.DEFAULT.maxHandshakesPerSource();
        java.util.List<DatagramSocket> sockets = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < cap + 4; i++) {
                DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                sockets.add(s);
                s.send(new DatagramPacket(hello, hello.length, dtls));
            }
            await(() -> counters.refusedHandshakes() >= refusedBefore + 4, Duration.ofSeconds(10));
            assertThat(counters.refusedHandshakes()).isLessThanOrEqualTo(refusedBefore + 4 + 1);
        } finally {
            sockets.forEach(DatagramSocket::close);
        }
        // The stalled handshakes time out and free their places, so the other tests' clients from 127.0.0.1 are let in.
        await(() -> counters.sessions() <= sessionsBefore, Duration.ofSeconds(40));
    }

    @Test
    void aClientHelloForDtls10OnlyGetsAProtocolVersionAlertAndNoAssociation() throws Exception {
        DtlsCounters counters = turn.server().dtlsCounters();
        long refusedBefore = counters.refusedVersions();
        long sessionsBefore = counters.sessions();
        // The JDK disables DTLS 1.0: its DTLS 1.2 ClientHello gets DTLS 1.0's record and client version instead.
        byte[] hello = clientHello(turn.dtlsAddress());
        hello[1] = (byte) 0xFE;
        hello[2] = (byte) 0xFF;
        hello[13 + 12] = (byte) 0xFE;
        hello[13 + 12 + 1] = (byte) 0xFF;
        try (DatagramSocket old = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            old.setSoTimeout(5000);
            old.send(new DatagramPacket(hello, hello.length, turn.dtlsAddress()));
            DatagramPacket answer = new DatagramPacket(new byte[100], 100);
            old.receive(answer);

            // Alert, DTLS 1.0, epoch 0, sequence 0, length 2: fatal protocol_version (RFC 5246 §7.2).
            assertThat(Arrays.copyOf(answer.getData(), answer.getLength())).containsExactly(
                    21, 0xFE - 256, 0xFF - 256, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 70);
        }
        assertThat(counters.refusedVersions()).isEqualTo(refusedBefore + 1);
        assertThat(counters.sessions()).isEqualTo(sessionsBefore);
    }

    /** The first flight of a fresh DTLS client: one ClientHello. */
    private static byte[] clientHello(InetSocketAddress server) throws Exception {
        SSLEngine engine = context().createSSLEngine(server.getHostString(), server.getPort());
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), out);
        assertThat(r.bytesProduced()).isPositive();
        return Arrays.copyOf(out.array(), r.bytesProduced());
    }

    private static javax.net.ssl.SSLContext context() {
        try {
            return DtlsEngines.clientContext(null);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", limit).isLessThan(end);
            Thread.sleep(50);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
