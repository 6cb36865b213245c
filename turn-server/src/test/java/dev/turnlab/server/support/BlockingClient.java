package dev.turnlab.server.support;

import dev.turnlab.client.ClientTransactions;
import dev.turnlab.client.Exchange;
import dev.turnlab.client.NoAnswerException;
import dev.turnlab.client.Retransmission;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.ChannelNumber;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.XorPeerAddress;
import dev.turnlab.codec.attribute.XorRelayedAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * turn-client's {@link ClientTransactions} on a blocking socket, for the server's tests: requests are
 * retransmitted, matched and authenticated (401 and 438 answered, realm and nonce kept) by the client's
 * code, while the test reads the other frames (Data indications, ChannelData, answers to raw requests)
 * as the bytes the server sent, and may send raw bytes of its own on the same 5-tuple.
 */
public final class BlockingClient implements Closeable {

    /** How long a request waits for its answer, retransmissions included. */
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Reads until a transaction ends; a stream read is not cut short, so that no frame is cut in two. */
    private static final int UDP_POLL_MILLIS = 50;
    /** One thread for the transactions of every client: their timers and the matching of responses. */
    private static final EventExecutor TRANSACTIONS = new DefaultEventExecutor();

    private final Wire wire;
    private final ClientTransactions transactions;
    private final Deque<byte[]> pendingFrames = new ArrayDeque<>();

    private BlockingClient(Wire wire, String username, String password) {
        this.wire = wire;
        Retransmission schedule = wire.isStream() ? Retransmission.reliable(WAIT) : Retransmission.udp().within(WAIT);
        this.transactions = ClientTransactions.withCredentials(TRANSACTIONS, this::write, schedule, username,
                password, null);
    }

    /** A client on a fresh UDP socket on 127.0.0.1. */
    public static BlockingClient udp(InetSocketAddress server, String username, String password) throws IOException {
        return new BlockingClient(new Wire.Udp(server), username, password);
    }

    /** A client on a fresh TCP connection. */
    public static BlockingClient tcp(InetSocketAddress server, String username, String password) throws IOException {
        return new BlockingClient(new Wire.Tcp(server), username, password);
    }

    /** A client on a fresh TLS connection that trusts any certificate. */
    public static BlockingClient tls(InetSocketAddress server, String username, String password) throws IOException {
        return new BlockingClient(Wire.Tcp.tls(server), username, password);
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

    /** Reads exactly {@code n} raw bytes from a stream, as a client data connection carries them (RFC 6062 §5.4). */
    public byte[] receiveBytes(int n, int timeoutMillis) throws IOException {
        return wire.receiveBytes(n, timeoutMillis);
    }

    /** Whether the server closes or resets this stream within the timeout; bytes it still sends are discarded. */
    public boolean awaitClosed(int timeoutMillis) throws IOException {
        return wire.awaitClosed(timeoutMillis);
    }

    /** Receives the next frame that answers no transaction, or null after the timeout. */
    public byte[] receiveRaw(int timeoutMillis) throws IOException {
        if (!pendingFrames.isEmpty()) {
            return pendingFrames.poll();
        }
        try {
            return wire.receive(timeoutMillis);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /** Sends {@code request} as it is, as one transaction, and returns the response; frames in between are kept. */
    public StunMessage exchange(StunMessage request) throws IOException {
        return await(transactions.send(request));
    }

    /**
     * Sends a request with long-term credentials, first learning the realm and nonce from a 401
     * challenge if needed (RFC 8489 §9.2.3), and again on 438 Stale Nonce: turn-client's loop.
     */
    public StunMessage authenticated(Method method, StunAttribute... attributes) throws IOException {
        return await(transactions.authenticated(() -> StunMessage.request(method).add(attributes)));
    }

    /** A request signed with the current realm and nonce (call after a challenge), with FINGERPRINT. */
    public StunMessage signed(Method method, StunAttribute... attributes) {
        return transactions.sign(StunMessage.request(method).add(attributes));
    }

    /** Remembers the realm and nonce of an error response. */
    public void learn(StunMessage challenge) {
        transactions.challenge(challenge);
    }

    /** The realm of the last challenge. */
    public String realm() {
        return transactions.realm();
    }

    /** The nonce of the last challenge. */
    public String nonce() {
        return transactions.nonce();
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

    /** Each transmission of a request, written from the transactions' thread. */
    private Future<?> write(StunMessage request) {
        try {
            wire.send(encode(request));
            return TRANSACTIONS.newSucceededFuture(null);
        } catch (IOException e) {
            return TRANSACTIONS.newFailedFuture(e);
        }
    }

    /** Reads frames, handing responses to the transactions, until {@code result} is done. */
    private StunMessage await(CompletableFuture<Exchange> result) throws IOException {
        while (!result.isDone()) {
            byte[] frame;
            try {
                frame = wire.receive(wire.isStream() ? (int) WAIT.toMillis() : UDP_POLL_MILLIS);
            } catch (SocketTimeoutException e) {
                continue; // the transaction's own timeout ends the wait
            }
            if (!answersTransaction(frame)) {
                pendingFrames.add(frame);
            }
        }
        try {
            return result.get().response();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NoAnswerException no && no.reason() == NoAnswerException.Reason.TIMEOUT) {
                throw new SocketTimeoutException(no.getMessage());
            }
            throw new IOException(e.getCause());
        }
    }

    private boolean answersTransaction(byte[] frame) throws IOException {
        if ((frame[0] & 0xC0) != 0 || frame.length < StunMessageCodec.HEADER_LENGTH) {
            return false;
        }
        StunMessage message;
        try {
            message = decode(frame);
        } catch (RuntimeException e) {
            return false; // not ours to judge: the test may be looking for exactly this
        }
        if (message.stunClass() != StunClass.SUCCESS_RESPONSE && message.stunClass() != StunClass.ERROR_RESPONSE) {
            return false;
        }
        try {
            return TRANSACTIONS.submit(() -> transactions.onResponse(message)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    @Override
    public void close() throws IOException {
        TRANSACTIONS.execute(() -> transactions.close(
                new NoAnswerException(NoAnswerException.Reason.CLOSED, "client closed")));
        wire.close();
    }
}
