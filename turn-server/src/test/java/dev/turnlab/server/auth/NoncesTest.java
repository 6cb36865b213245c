package dev.turnlab.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.auth.Nonces.Status;
import dev.turnlab.testing.tools.MutableClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Stateless nonces (RFC 8489 §9.2): bound to the client's address and its 5-tuple's generation
 * (RFC 8656 §21), expiring, with the nonce cookie, and short.
 */
class NoncesTest {

    private final MutableClock clock = MutableClock.now();
    private final Nonces nonces = new Nonces(clock, Duration.ofMinutes(10),
            Nonces.PASSWORD_ALGORITHMS | Nonces.USERNAME_ANONYMITY);
    private final InetSocketAddress client = new InetSocketAddress("192.0.2.10", 40000);

    @Test
    void carriesTheCookieAndFeatureSet() {
        // Bits 0 and 1 of the 24-bit set are 0xC00000, "wAAA" in base64 (RFC 8489 §9.2, §18.1).
        assertThat(nonces.issue(client, 0)).startsWith("obMatJos2wAAA");
        assertThat(Nonces.featureSet(Nonces.PASSWORD_ALGORITHMS)).isEqualTo("gAAA");
    }

    @Test
    void isShortSoThatAChallengeStaysSmall() {
        // 13 characters of cookie and features, 15 of time and MAC: a NONCE attribute of 32 bytes.
        assertThat(nonces.issue(client, 7)).hasSize(28);
        assertThat(new Nonces(clock, Duration.ofMinutes(10), 0).issue(client, 7)).hasSize(15);
    }

    @Test
    void withoutFeaturesThereIsNoCookie() {
        Nonces plain = new Nonces(clock, Duration.ofMinutes(10), 0);
        assertThat(plain.issue(client, 0)).doesNotStartWith(Nonces.COOKIE);
        assertThat(plain.announcesFeatures()).isFalse();
        assertThat(plain.check(plain.issue(client, 0), client, 0)).isEqualTo(Status.FRESH);
    }

    @Test
    void freshForItsClientUntilItExpires() {
        String nonce = nonces.issue(client, 0);
        assertThat(nonces.check(nonce, client, 0)).isEqualTo(Status.FRESH);
        clock.advance(Duration.ofMinutes(9));
        assertThat(nonces.check(nonce, client, 0)).isEqualTo(Status.FRESH);
        clock.advance(Duration.ofMinutes(1));
        assertThat(nonces.check(nonce, client, 0)).isEqualTo(Status.EXPIRED);
    }

    @Test
    void anotherAddressOrPortMakesItForeign() {
        String nonce = nonces.issue(client, 0);
        assertThat(nonces.check(nonce, new InetSocketAddress("192.0.2.10", 40001), 0)).isEqualTo(Status.FOREIGN);
        assertThat(nonces.check(nonce, new InetSocketAddress("192.0.2.11", 40000), 0)).isEqualTo(Status.FOREIGN);
    }

    @Test
    void anotherGenerationOfTheFiveTupleMakesItForeign() {
        String nonce = nonces.issue(client, 3);
        assertThat(nonces.check(nonce, client, 3)).isEqualTo(Status.FRESH);
        assertThat(nonces.check(nonce, client, 4)).isEqualTo(Status.FOREIGN);
    }

    @Test
    void forgedOrForeignNoncesAreForeign() {
        String nonce = nonces.issue(client, 0);
        char last = nonce.charAt(nonce.length() - 1);
        String tampered = nonce.substring(0, nonce.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThat(nonces.check(tampered, client, 0)).isEqualTo(Status.FOREIGN);
        // The same bytes spelt another way: the last character's two spare bits set (the decoder ignores them).
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        String respelt = nonce.substring(0, nonce.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
        assertThat(nonces.check(respelt, client, 0)).isEqualTo(Status.FOREIGN);
        assertThat(nonces.check("obMatJos2wAAAzz.zz", client, 0)).isEqualTo(Status.FOREIGN);
        assertThat(nonces.check("obMatJos2wAAA!!!!!!!!!!!!!!!", client, 0)).isEqualTo(Status.FOREIGN);
        assertThat(nonces.check("", client, 0)).isEqualTo(Status.FOREIGN);
        Nonces otherServer = new Nonces(clock, Duration.ofMinutes(10), Nonces.PASSWORD_ALGORITHMS | Nonces.USERNAME_ANONYMITY);
        assertThat(otherServer.check(nonce, client, 0)).isEqualTo(Status.FOREIGN);
    }
}
