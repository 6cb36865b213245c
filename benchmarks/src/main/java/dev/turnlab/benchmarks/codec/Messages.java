package dev.turnlab.benchmarks.codec;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.Username;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Wire images of the messages the benchmarks decode, built once with the codec itself. */
final class Messages {

    static final String USER = "expturncreds";
    static final String REALM = "TANDBERG";
    static final String PASSWORD = "s3cret-Pa55";
    static final String NONCE = "obMatJos2AAAAQ5tJcjSmAwNzEzMjg3MTc0N2MxNTQ5NDM";

    private Messages() {
    }

    /** A Binding request as a Callbridge's reachability probe sends it: header only. */
    static byte[] bindingRequest() {
        return wire(StunMessage.request(Method.BINDING).build());
    }

    /** A Binding request with SOFTWARE and FINGERPRINT, as most STUN clients send it. */
    static byte[] bindingRequestWithFingerprint() {
        return wire(StunMessage.request(Method.BINDING).add(new Software("turnlab benchmark")).fingerprint().build());
    }

    /** The second Allocate of RFC 8656 §7.1: credentials, realm, nonce, integrity and fingerprint. */
    static byte[] authenticatedAllocate() {
        return wire(StunMessage.request(Method.ALLOCATE)
                .add(RequestedTransport.UDP, Lifetime.ofSeconds(600), new Username(USER), new Realm(REALM), new Nonce(NONCE))
                .integrity(longTermKey())
                .fingerprint()
                .build());
    }

    /** MD5(username:realm:password), the RFC 8489 §9.2.2 long-term key, for ASCII credentials. */
    static byte[] longTermKey() {
        try {
            return MessageDigest.getInstance("MD5")
                    .digest((USER + ":" + REALM + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] wire(StunMessage message) {
        ByteBuf buf = Unpooled.buffer();
        try {
            StunMessageCodec.encode(message, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
