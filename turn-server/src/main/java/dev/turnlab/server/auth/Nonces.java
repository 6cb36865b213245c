package dev.turnlab.server.auth;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless, expiring nonces (RFC 8489 §9.2): a nonce carries its issue time and an HMAC over that time
 * and the client's transport address, keyed by a per-server secret. Nothing is stored per client; a nonce
 * from another address, forged, or older than the lifetime is stale (438, §9.2.4).
 *
 * <p>When the server offers the RFC 8489 security features, the nonce starts with the nonce cookie
 * {@code obMatJos2} and the 24-bit feature set in base64 (§9.2): bit 0 "Password algorithms", bit 1
 * "Username anonymity" (§18.1).
 */
public final class Nonces {

    /** The nonce cookie that announces the security feature set (RFC 8489 §9.2). */
    public static final String COOKIE = "obMatJos2";
    /** Security feature bits (RFC 8489 §18.1), bit 0 being the most significant of 24. */
    public static final int PASSWORD_ALGORITHMS = 0x80_0000;
    /** The "Username anonymity" feature bit (USERHASH, RFC 8489 §18.1). */
    public static final int USERNAME_ANONYMITY = 0x40_0000;

    private static final int MAC_BYTES = 16;

    private final byte[] secret;
    private final Clock clock;
    private final Duration lifetime;
    private final String prefix;

    /** Nonces valid for {@code lifetime}, announcing {@code features} (0: no cookie, for RFC 5389 clients only). */
    public Nonces(Clock clock, Duration lifetime, int features) {
        this.secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.clock = clock;
        this.lifetime = lifetime;
        this.prefix = features == 0 ? "" : COOKIE + featureSet(features);
    }

    /** The 4 base64 characters of a 24-bit feature set (RFC 8489 §9.2). */
    static String featureSet(int features) {
        byte[] bits = {(byte) (features >>> 16), (byte) (features >>> 8), (byte) features};
        return Base64.getEncoder().encodeToString(bits);
    }

    /**
     * The security feature bits a nonce announces (RFC 8489 §9.2): the 24 bits after the nonce cookie, or
     * 0 when the nonce does not start with the cookie or its feature set is not valid base64.
     */
    public static int features(String nonce) {
        int end = COOKIE.length() + 4;
        if (!nonce.startsWith(COOKIE) || nonce.length() < end) {
            return 0;
        }
        try {
            byte[] bits = Base64.getDecoder().decode(nonce.substring(COOKIE.length(), end));
            return (bits[0] & 0xFF) << 16 | (bits[1] & 0xFF) << 8 | bits[2] & 0xFF;
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /** Whether nonces carry the cookie, so requests are held to the downgrade checks of RFC 8489 §9.2.4. */
    public boolean announcesFeatures() {
        return !prefix.isEmpty();
    }

    /** A fresh nonce for a client at {@code client}. */
    public String issue(InetSocketAddress client) {
        long now = clock.millis();
        return prefix + Long.toHexString(now) + "." + mac(now, client);
    }

    /** Whether {@code nonce} was issued by this server to {@code client} and has not expired. */
    public boolean isValid(String nonce, InetSocketAddress client) {
        if (!nonce.startsWith(prefix)) {
            return false;
        }
        int dot = nonce.indexOf('.', prefix.length());
        if (dot < 0) {
            return false;
        }
        long issued;
        try {
            issued = Long.parseUnsignedLong(nonce.substring(prefix.length(), dot), 16);
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] expected = mac(issued, client).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = nonce.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        long age = clock.millis() - issued;
        return MessageDigest.isEqual(expected, actual) && age >= 0 && age < lifetime.toMillis();
    }

    private String mac(long issued, InetSocketAddress client) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(ByteBuffer.allocate(Long.BYTES).putLong(0, issued));
            mac.update(client.getAddress().getAddress());
            mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(0, client.getPort()));
            byte[] full = mac.doFinal();
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, MAC_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
