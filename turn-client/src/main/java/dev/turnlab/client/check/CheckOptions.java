package dev.turnlab.client.check;

import dev.turnlab.client.Transport;
import dev.turnlab.codec.capture.CaptureConfig;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;

/**
 * What a check does.
 *
 * @param username the long-term credentials' user name, or null to test reachability only
 * @param password the password, with {@code username}
 * @param expectedRealm the realm the server should announce, or null to accept any
 * @param transport the one transport to use, or null for UDP with TCP tried as well (and used when UDP
 *     gets no answer)
 * @param relayTest whether to send data through the relay to a local peer and back
 * @param timeout how long one request, connection or relayed packet may take
 * @param probes how many Binding requests measure the round trip
 * @param sslContext the TLS client context, or null for the JDK's trusted certificates
 * @param capture the pcap files to record the check's packets in (to the servers and of the relay
 *     test's peer), or null for none
 */
public record CheckOptions(String username, String password, String expectedRealm, Transport transport,
        boolean relayTest, Duration timeout, int probes, SslContext sslContext, CaptureConfig capture) {

    /** Five probes, five seconds per request. */
    public static final CheckOptions DEFAULTS = new CheckOptions(null, null, null, null, false, Duration.ofSeconds(5), 5, null, null);

    /** Checks that credentials come in pairs, the timeout is positive and there is at least one probe. */
    public CheckOptions {
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("credentials: a user needs a password and a password a user");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        if (probes < 1 || probes > 100) {
            throw new IllegalArgumentException("probes: " + probes + " (expected: 1-100)");
        }
    }

    /** These options with credentials. */
    public CheckOptions withCredentials(String user, String pass) {
        return new CheckOptions(user, pass, expectedRealm, transport, relayTest, timeout, probes, sslContext, capture);
    }

    /** These options expecting {@code realm}. */
    public CheckOptions withExpectedRealm(String realm) {
        return new CheckOptions(username, password, realm, transport, relayTest, timeout, probes, sslContext, capture);
    }

    /** These options on one transport only. */
    public CheckOptions withTransport(Transport only) {
        return new CheckOptions(username, password, expectedRealm, only, relayTest, timeout, probes, sslContext, capture);
    }

    /** These options with or without the relay test. */
    public CheckOptions withRelayTest(boolean run) {
        return new CheckOptions(username, password, expectedRealm, transport, run, timeout, probes, sslContext, capture);
    }

    /** These options with another timeout. */
    public CheckOptions withTimeout(Duration perRequest) {
        return new CheckOptions(username, password, expectedRealm, transport, relayTest, perRequest, probes, sslContext, capture);
    }

    /** These options with another number of probes. */
    public CheckOptions withProbes(int count) {
        return new CheckOptions(username, password, expectedRealm, transport, relayTest, timeout, count, sslContext, capture);
    }

    /** These options with a TLS client context. */
    public CheckOptions withSslContext(SslContext context) {
        return new CheckOptions(username, password, expectedRealm, transport, relayTest, timeout, probes, context, capture);
    }

    /** These options recording the check's packets as {@code capture} says (null: none). */
    public CheckOptions withCapture(CaptureConfig capture) {
        return new CheckOptions(username, password, expectedRealm, transport, relayTest, timeout, probes, sslContext, capture);
    }

    @Override
    public String toString() {
        // Never the password.
        return "CheckOptions[user=" + username + ", expectedRealm=" + expectedRealm + ", transport=" + transport
                + ", relayTest=" + relayTest + ", timeout=" + timeout + ", probes=" + probes
                + ", capture=" + (capture == null ? "off" : capture.file()) + "]";
    }
}
