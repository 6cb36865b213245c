package dev.turnlab.server.auth;

import java.net.InetSocketAddress;
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
 * Stateless, expiring nonces (RFC 8489 §9.2): a nonce carries its issue time and an HMAC over that time,
 * the client's transport address and the generation of the client's 5-tuple (RFC 8656 §21), keyed by a
 * per-server secret. Nothing is stored per client. A nonce issued to another address, to an earlier
 * generation of the 5-tuple, or forged is {@link Status#FOREIGN}; one older than the lifetime is
 * {@link Status#EXPIRED}; both are stale (438, §9.2.4).
 *
 * <p>The nonce is short because every 401 carries it, and a 20-byte request must not draw an answer
 * more than 4.8 times its size (coturn's worst case): 4 bytes of issue time in seconds and 7 bytes of
 * HMAC-SHA256, in 15 base64url characters. 56 bits are plenty here: a forgery can only be tried online,
 * one request per guess, within the nonce's lifetime. When the server offers the RFC 8489 security features, the nonce starts with the nonce
 * cookie {@code obMatJos2} and the 24-bit feature set in base64 (§9.2): bit 0 "Password algorithms",
 * bit 1 "Username anonymity" (§18.1).
 */
public final class Nonces {

    /** The nonce cookie that announces the security feature set (RFC 8489 §9.2). */
    public static final String COOKIE = "obMatJos2";
    /** Security feature bits (RFC 8489 §18.1), bit 0 being the most significant of 24. */
    public static final int PASSWORD_ALGORITHMS = 0x80_0000;
    /** The "Username anonymity" feature bit (USERHASH, RFC 8489 §18.1). */
    public static final int USERNAME_ANONYMITY = 0x40_0000;

    /** What a received nonce is worth for a client (RFC 8489 §9.2.4 bullet 6). */
    public enum Status {
        /** Issued by this server to this client and 5-tuple generation, within its lifetime. */
        FRESH,
        /** Issued by this server to this client and generation, but older than its lifetime. */
        EXPIRED,
        /** Not issued by this server to this client for this generation: forged, foreign or replayed. */
        FOREIGN
    }

    private static final int TIME_BYTES = 4;
    private static final int MAC_BYTES = 7;
    private static final int PAYLOAD_CHARS = 15;

    // One keyed Mac per thread: Mac.getInstance and init cost more than the MAC of 14 bytes itself.
    private final ThreadLocal<Mac> macs;
    private final Clock clock;
    private final Duration lifetime;
    private final String prefix;

    /** Nonces valid for {@code lifetime}, announcing {@code features} (0: no cookie, for RFC 5389 clients only). */
    public Nonces(Clock clock, Duration lifetime, int features) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        SecretKeySpec secret = new SecretKeySpec(key, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(secret);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
            }
        });
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

    /** A fresh nonce for a client at {@code client} whose 5-tuple is at {@code generation}. */
    public String issue(InetSocketAddress client, int generation) {
        int seconds = (int) (clock.millis() / 1000);
        byte[] payload = new byte[TIME_BYTES + MAC_BYTES];
        writeInt(payload, seconds);
        System.arraycopy(mac(seconds, client, generation), 0, payload, TIME_BYTES, MAC_BYTES);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
    }

    /** What {@code nonce} is worth for {@code client} at {@code generation} of its 5-tuple. */
    public Status check(String nonce, InetSocketAddress client, int generation) {
        if (!nonce.startsWith(prefix) || nonce.length() != prefix.length() + PAYLOAD_CHARS) {
            return Status.FOREIGN;
        }
        String text = nonce.substring(prefix.length());
        byte[] payload;
        try {
            payload = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return Status.FOREIGN;
        }
        // 11 bytes fill 15 characters with 2 bits to spare, which the decoder ignores: only the one canonical
        // spelling is this server's nonce, so that no two nonces on the wire stand for the same one.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(payload).equals(text)) {
            return Status.FOREIGN;
        }
        int seconds = readInt(payload);
        byte[] expected = mac(seconds, client, generation);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(payload, TIME_BYTES, TIME_BYTES + MAC_BYTES))) {
            return Status.FOREIGN;
        }
        long age = clock.millis() - Integer.toUnsignedLong(seconds) * 1000;
        return age >= 0 && age < lifetime.toMillis() ? Status.FRESH : Status.EXPIRED;
    }

    private byte[] mac(int seconds, InetSocketAddress client, int generation) {
        Mac mac = macs.get();
        byte[] fields = new byte[10];
        writeInt(fields, seconds);
        int port = client.getPort();
        fields[4] = (byte) (port >>> 8);
        fields[5] = (byte) port;
        fields[6] = (byte) (generation >>> 24);
        fields[7] = (byte) (generation >>> 16);
        fields[8] = (byte) (generation >>> 8);
        fields[9] = (byte) generation;
        mac.update(fields);
        mac.update(client.getAddress().getAddress());
        return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
    }

    private static void writeInt(byte[] b, int v) {
        b[0] = (byte) (v >>> 24);
        b[1] = (byte) (v >>> 16);
        b[2] = (byte) (v >>> 8);
        b[3] = (byte) v;
    }

    private static int readInt(byte[] b) {
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | b[3] & 0xFF;
    }
}
