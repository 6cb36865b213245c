package dev.turnlab.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.support.MutableClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Stateless nonces (RFC 8489 §9.2): bound to the client's address, expiring, with the nonce cookie. */
class NoncesTest {

    private final MutableClock clock = MutableClock.now();
    private final Nonces nonces = new Nonces(clock, Duration.ofMinutes(10),
            Nonces.PASSWORD_ALGORITHMS | Nonces.USERNAME_ANONYMITY);
    private final InetSocketAddress client = new InetSocketAddress("192.0.2.10", 40000);

    @Test
    void carriesTheCookieAndFeatureSet() {
        // Bits 0 and 1 of the 24-bit set are 0xC00000, "wAAA" in base64 (RFC 8489 §9.2, §18.1).
        assertThat(nonces.issue(client)).startsWith("obMatJos2wAAA");
        assertThat(Nonces.featureSet(Nonces.PASSWORD_ALGORITHMS)).isEqualTo("gAAA");
    }

    @Test
    void withoutFeaturesThereIsNoCookie() {
        Nonces plain = new Nonces(clock, Duration.ofMinutes(10), 0);
        assertThat(plain.issue(client)).doesNotStartWith(Nonces.COOKIE);
        assertThat(plain.announcesFeatures()).isFalse();
    }

    @Test
    void validForItsClientUntilItExpires() {
        String nonce = nonces.issue(client);
        assertThat(nonces.isValid(nonce, client)).isTrue();
        clock.advance(Duration.ofMinutes(9));
        assertThat(nonces.isValid(nonce, client)).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(nonces.isValid(nonce, client)).isFalse();
    }

    @Test
    void anotherAddressOrPortMakesItInvalid() {
        String nonce = nonces.issue(client);
        assertThat(nonces.isValid(nonce, new InetSocketAddress("192.0.2.10", 40001))).isFalse();
        assertThat(nonces.isValid(nonce, new InetSocketAddress("192.0.2.11", 40000))).isFalse();
    }

    @Test
    void forgedOrForeignNoncesAreInvalid() {
        String nonce = nonces.issue(client);
        char last = nonce.charAt(nonce.length() - 1);
        String tampered = nonce.substring(0, nonce.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThat(nonces.isValid(tampered, client)).isFalse();
        assertThat(nonces.isValid("obMatJos2wAAAzz.zz", client)).isFalse();
        assertThat(nonces.isValid("", client)).isFalse();
        Nonces otherServer = new Nonces(clock, Duration.ofMinutes(10), Nonces.PASSWORD_ALGORITHMS | Nonces.USERNAME_ANONYMITY);
        assertThat(otherServer.isValid(nonce, client)).isFalse();
    }
}
