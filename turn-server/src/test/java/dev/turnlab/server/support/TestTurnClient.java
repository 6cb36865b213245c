package dev.turnlab.server.support;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.ChannelNumber;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.attribute.XorPeerAddress;
import dev.turnlab.codec.attribute.XorRelayedAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A small blocking TURN client for the server's tests, over UDP or TCP, built on the codec's pure
 * functions only (the turn-client module depends on this one, not the other way round). It keeps the
 * realm and nonce of the last challenge and signs requests with the MD5 long-term key.
 */
public final class TestTurnClient implements Closeable {

    private final Wire wire;
    private final String username;
    private final String password;
    private String realm;
    private String nonce;
    private final List<byte[]> pendingFrames = new ArrayList<>();

    private TestTurnClient(Wire wire, String username, String password) {
        this.wire = wire;
        this.username = username;
        this.password = password;
    }

    /** A client on a fresh UDP socket on 127.0.0.1. */
    public static TestTurnClient udp(InetSocketAddress server, String username, String password) throws IOException {
        return new TestTurnClient(new Wire.Udp(server), username, password);
    }

    /** A client on a fresh TCP connection. */
    public static TestTurnClient tcp(InetSocketAddress server, String username, String password) throws IOException {
        return new TestTurnClient(new Wire.Tcp(server), username, password);
    }

    /** A client on a fresh TLS connection that trusts any certificate. */
    public static TestTurnClient tls(InetSocketAddress server, String username, String password) throws IOException {
        return new TestTurnClient(Wire.Tcp.tls(server), username, password);
    }

    /** The certificate the TLS server presented, or null on other transports. */
    public java.security.cert.Certificate peerCertificate() throws IOException {
        return wire.peerCertificate();
    }

    /** The client's own address. */
    public InetSocketAddress localAddress() {
        return wire.localAddress();
    }

    /** Sends raw bytes (for malformed-input tests). */
    public void sendRaw(byte[] bytes) throws IOException {
        wire.send(bytes);
    }

    /** Receives the next frame, or null after the timeout. */
    public byte[] receiveRaw(int timeoutMillis) throws IOException {
        if (!pendingFrames.isEmpty()) {
            return pendingFrames.remove(0);
        }
        try {
            return wire.receive(timeoutMillis);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /** Sends {@code request} and returns the response with its transaction id; frames in between are kept. */
    public StunMessage exchange(StunMessage request) throws IOException {
        wire.send(encode(request));
        long deadline = System.currentTimeMillis() + 3000;
        while (System.currentTimeMillis() < deadline) {
            byte[] frame;
            try {
                frame = wire.receive(3000);
            } catch (SocketTimeoutException e) {
                break;
            }
            if ((frame[0] & 0xC0) == 0) {
                StunMessage m = decode(frame);
                if (m.transactionId().equals(request.transactionId())) {
                    return m;
                }
            }
            pendingFrames.add(frame);
        }
        throw new SocketTimeoutException("no response to " + request.method());
    }

    /**
     * Sends a request with long-term credentials, first learning the realm and nonce from a 401
     * challenge if needed (RFC 8489 §9.2.3), and again on 438 Stale Nonce.
     */
    public StunMessage authenticated(Method method, StunAttribute... attributes) throws IOException {
        if (nonce == null) {
            StunMessage challenge = exchange(StunMessage.request(method).add(attributes).build());
            if (challenge.stunClass() != StunClass.ERROR_RESPONSE || challenge.get(Nonce.class) == null) {
                return challenge;
            }
            learn(challenge);
        }
        StunMessage response = exchange(signed(method, attributes));
        if (isError(response, 438)) {
            learn(response);
            response = exchange(signed(method, attributes));
        }
        return response;
    }

    /** A request signed with the current realm and nonce (call after a challenge). */
    public StunMessage signed(Method method, StunAttribute... attributes) {
        return StunMessage.request(method).add(attributes)
                .add(new Username(username), new Realm(realm), new Nonce(nonce))
                .integrity(key(username, realm, password)).fingerprint().build();
    }

    /** Remembers the realm and nonce of an error response. */
    public void learn(StunMessage challenge) {
        realm = challenge.get(Realm.class).value();
        nonce = challenge.get(Nonce.class).value();
    }

    /** The realm of the last challenge. */
    public String realm() {
        return realm;
    }

    /** The nonce of the last challenge. */
    public String nonce() {
        return nonce;
    }

    /** Allocate with REQUESTED-TRANSPORT UDP and any extra attributes. */
    public StunMessage allocate(StunAttribute... extra) throws IOException {
        List<StunAttribute> all = new ArrayList<>(List.of(RequestedTransport.UDP));
        all.addAll(List.of(extra));
        return authenticated(Method.ALLOCATE, all.toArray(new StunAttribute[0]));
    }

    /** The relayed address of a successful Allocate. */
    public static InetSocketAddress relayed(StunMessage allocateResponse) {
        return allocateResponse.get(XorRelayedAddress.class).address();
    }

    /** Refresh with LIFETIME {@code seconds}. */
    public StunMessage refresh(long seconds) throws IOException {
        return authenticated(Method.REFRESH, Lifetime.ofSeconds(seconds));
    }

    /** CreatePermission for the peers. */
    public StunMessage createPermission(InetSocketAddress... peers) throws IOException {
        StunAttribute[] attributes = new StunAttribute[peers.length];
        for (int i = 0; i < peers.length; i++) {
            attributes[i] = new XorPeerAddress(peers[i]);
        }
        return authenticated(Method.CREATE_PERMISSION, attributes);
    }

    /** ChannelBind of {@code channel} to {@code peer}. */
    public StunMessage channelBind(int channel, InetSocketAddress peer) throws IOException {
        return authenticated(Method.CHANNEL_BIND, new ChannelNumber(channel), new XorPeerAddress(peer));
    }

    /** Sends a Send indication. */
    public void sendIndication(InetSocketAddress peer, byte[] data) throws IOException {
        wire.send(encode(StunMessage.indication(Method.SEND).add(new XorPeerAddress(peer), new Data(data)).build()));
    }

    /** Sends ChannelData (padded on TCP, RFC 8656 §12.5). */
    public void sendChannelData(int channel, byte[] data) throws IOException {
        int padding = wire.isStream() ? (4 - (data.length & 3)) & 3 : 0;
        byte[] frame = new byte[4 + data.length + padding];
        frame[0] = (byte) (channel >>> 8);
        frame[1] = (byte) channel;
        frame[2] = (byte) (data.length >>> 8);
        frame[3] = (byte) data.length;
        System.arraycopy(data, 0, frame, 4, data.length);
        wire.send(frame);
    }

    /** Whether {@code m} is an error response with {@code code}. */
    public static boolean isError(StunMessage m, int code) {
        return m.stunClass() == StunClass.ERROR_RESPONSE && m.get(ErrorCode.class).code() == code;
    }

    /** The MD5 long-term key (RFC 8489 §9.2.2). */
    public static byte[] key(String username, String realm, String password) {
        return dev.turnlab.codec.auth.LongTermCredentials.key(username, realm, password);
    }

    /** Encodes a message to bytes. */
    public static byte[] encode(StunMessage m) {
        ByteBuf buf = Unpooled.buffer();
        try {
            StunMessageCodec.encode(m, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /** Decodes bytes to a message. */
    public static StunMessage decode(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return StunMessageCodec.decode(buf);
        } finally {
            buf.release();
        }
    }

    @Override
    public void close() throws IOException {
        wire.close();
    }
}
