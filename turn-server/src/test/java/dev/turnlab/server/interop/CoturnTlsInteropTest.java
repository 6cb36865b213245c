package dev.turnlab.server.interop;

import static dev.turnlab.testing.tools.CoturnTools.LOST;
import static dev.turnlab.testing.tools.CoturnTools.TOTALS;
import static dev.turnlab.testing.tools.CoturnTools.finish;
import static dev.turnlab.testing.tools.CoturnTools.last;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.TlsReload;
import dev.turnlab.server.TlsSettings;
import dev.turnlab.server.TurnServer;
import dev.turnlab.testing.tools.CoturnPeer;
import dev.turnlab.testing.tools.CoturnTools;
import dev.turnlab.testing.tools.TestCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * coturn's {@code turnutils_uclient -t -S} (TURN over TLS, OpenSSL's client) relays through our TLS listener
 * configured with a coturn-style cipher list and TLS 1.2 only, so that the list is what the handshake must agree on;
 * and again after the certificate was reloaded. 50 messages of 120 bytes, nothing lost; every tool under a timeout.
 */
class CoturnTlsInteropTest {

    private static final String USER = "uclient";
    private static final String PASSWORD = "uclient-secret";
    /** Suites that OpenSSL's client offers by default and that fit the EC certificate. */
    private static final String CIPHER_LIST = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384";

    /** uclient's line for a TLS record that held more than one ChannelData message, with the record's length. */
    private static final Pattern COALESCED = Pattern.compile("received buffer have wrong length: \\d+, must be \\d+, len=(\\d+)");
    /** A ChannelData message of uclient's: 4 bytes of header and 120 of data (a multiple of 4, so no padding). */
    private static final int FRAME = 124;

    @TempDir
    Path dir;

    private TurnServer server;
    private CoturnPeer peer;

    @AfterEach
    void stop() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void uclientRelaysOverTlsWithACipherListBeforeAndAfterAReload() throws Exception {
        Assumptions.assumeTrue(CoturnTools.available(), CoturnTools.MISSING);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        TestCertificate.generate("first.turnlab.test", Duration.ofDays(30)).write(cert, key);
        server = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(31950, 31969).user(USER, PASSWORD)
                .allowLoopbackPeers(true).tlsPort(0).tlsCertificate(cert, key).tlsReloadInterval(Duration.ZERO)
                .tlsProtocols(List.of("TLSv1.2")).tlsCipherSuites(TlsSettings.parseCipherList(CIPHER_LIST))
                .build().start();
        peer = CoturnPeer.start("127.0.0.1", dir.resolve("peer.log"));

        relaysWithoutLoss(dir.resolve("uclient-before.log"));
        TestCertificate.generate("second.turnlab.test", Duration.ofDays(90)).write(cert, key);
        assertThat(server.reloadTlsCertificate().outcome()).isEqualTo(TlsReload.Outcome.RELOADED);
        relaysWithoutLoss(dir.resolve("uclient-after.log"));
    }

    /**
     * uclient connected with a suite of the list over TLS 1.2, sent 50 messages, all of which the server relayed to
     * the peer, and the echoes came back. The echo peer is UDP (turnutils_peer, one thread): on a loaded machine it
     * may miss a few, so at least 45 must come back through the server. uclient under-counts what it receives over
     * TLS: it reads one TLS record at a time and takes it for one message, while our server puts the frames it
     * flushes together into one record (TLS records are not message boundaries). A record of several ChannelData
     * messages is mostly one "wrong length" line in its output, counted here by its length (124 bytes a frame: 4 of
     * header, 120 of data), but under load it also drops some without a line; so what it counts is at least 45 and
     * at most what the server relayed back.
     */
    private void relaysWithoutLoss(Path out) throws Exception {
        long toPeer = server.metrics().relayed().packetsToPeer();
        long toClient = server.metrics().relayed().packetsToClient();
        assertThat(finish(uclient(out))).as("exit status; output:%n%s", read(out)).isZero();
        String log = read(out);
        MatchResult totals = last(TOTALS, log);
        assertThat(totals).as("totals in:%n%s", log).isNotNull();
        assertThat(last(LOST, log)).as("loss line in:%n%s", log).isNotNull();
        int coalesced = 0;
        Matcher m = COALESCED.matcher(log);
        while (m.find()) {
            int length = Integer.parseInt(m.group(1));
            assertThat(length % FRAME).as("a record of whole frames: %s", m.group()).isZero();
            coalesced += length / FRAME;
        }
        long relayedBack = server.metrics().relayed().packetsToClient() - toClient;
        assertThat(Integer.parseInt(totals.group(1))).as("sent; output:%n%s", log).isEqualTo(50);
        assertThat(server.metrics().relayed().packetsToPeer() - toPeer).as("relayed to the peer").isEqualTo(50);
        assertThat(relayedBack).as("echoes relayed back").isBetween(45L, 50L);
        assertThat((long) Integer.parseInt(totals.group(2)) + coalesced).as("received; output:%n%s", log)
                .isBetween(45L, relayedBack);
        assertThat(log).as("the suite negotiated").containsPattern(
                "client session connected with cipher (ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-AES256-GCM-SHA384), method=TLSv1\\.2");
    }

    private Process uclient(Path out) throws IOException {
        List<String> command = new ArrayList<>(List.of("timeout", "60", "turnutils_uclient", "-t", "-S"));
        command.addAll(List.of("-u", USER, "-w", PASSWORD, "-e", "127.0.0.1", "-r", Integer.toString(peer.port()),
                "-n", "50", "-l", "120", "-m", "1", "-c", "-z", "20",
                "-p", Integer.toString(server.tlsAddress().getPort()), "127.0.0.1"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static String read(Path out) throws IOException {
        return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    }
}
