package dev.turnlab.server.cli;

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
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.attribute.XorPeerAddress;
import dev.turnlab.codec.attribute.XorRelayedAddress;
import dev.turnlab.codec.auth.LongTermCredentials;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * The warm-up's client and peers: whole TURN sessions over plain JDK sockets on loopback, so that the server's
 * code runs as real clients make it run and the driver itself costs the JIT little. A session is Binding,
 * Allocate (401, then success), CreatePermission, ChannelBind and Refresh (RFC 8656 §7-§11), then rounds of
 * ChannelData to a peer that sends each datagram back to the relayed address (§12), every fourth round Send
 * and Data indications through a second peer (§10-§11) and a Binding, then a Refresh with lifetime 0.
 * Requests are encoded once each; the datagrams of a session are one frame each way, sent again and again.
 * Not thread-safe: one thread drives one instance.
 */
final class WarmUpTraffic {

    /** Datagrams of each kind in flight at once: few enough that no socket buffer on the way overflows. */
    static final int BURST = 32;
    /** Rounds of datagrams per session: a session sends far more data than requests. */
    static final int ROUNDS = 48;
    /** Rounds in which indications and a Binding go too, one in this many. */
    static final int INDICATION_EVERY = 4;
    /** Requests a session makes: two Bindings at least, two Allocates, CreatePermission, ChannelBind, two Refreshes. */
    static final int REQUESTS = 7 + ROUNDS / INDICATION_EVERY;
    /** Datagrams a session relays each way: ChannelData in every round, indications in one in four. */
    static final int DATAGRAMS = BURST * (ROUNDS + ROUNDS / INDICATION_EVERY);

    private static final int CHANNEL = ChannelNumber.MIN;
    /** An Opus audio frame, the benchmarks' size; a multiple of 4, so ChannelData over TCP needs no padding. */
    private static final int PAYLOAD = 160;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** A cold server on a busy machine may take a while to answer its first requests; loopback loses nothing. */
    private static final int TIMEOUT_MILLIS = 3000;

    private final InetSocketAddress udpServer;
    private final InetSocketAddress tcpServer;
    private final String user;
    private final String password;
    private final byte[] receiveBuffer = new byte[2048];
    private long requests;
    private long datagrams;

    WarmUpTraffic(InetSocketAddress udpServer, InetSocketAddress tcpServer, String user, String password) {
        this.udpServer = udpServer;
        this.tcpServer = tcpServer;
        this.user = user;
        this.password = password;
    }

    /** Requests answered as expected so far. */
    long requests() {
        return requests;
    }

    /** Datagrams relayed each way so far: sent by the client and come back to it through the peers. */
    long datagrams() {
        return datagrams;
    }

    /** Runs one session, over TCP or UDP to the server; throws {@link Failure} on any unexpected answer or silence. */
    void session(boolean tcp) throws IOException {
        try (DatagramSocket channelPeer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket indicationPeer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                Link client = tcp ? new TcpLink(tcpServer) : new UdpLink(udpServer)) {
            channelPeer.setSoTimeout(TIMEOUT_MILLIS);
            indicationPeer.setSoTimeout(TIMEOUT_MILLIS);
            InetSocketAddress toChannel = (InetSocketAddress) channelPeer.getLocalSocketAddress();
            InetSocketAddress toIndications = (InetSocketAddress) indicationPeer.getLocalSocketAddress();

            byte[] binding = encode(StunMessage.request(Method.BINDING).fingerprint().build());
            expect(client, binding, StunClass.SUCCESS_RESPONSE);
            StunMessage challenge = expect(client, encode(StunMessage.request(Method.ALLOCATE)
                    .add(RequestedTransport.UDP).fingerprint().build()), StunClass.ERROR_RESPONSE);
            if (challenge.get(ErrorCode.class).code() != 401) {
                throw new Failure("Allocate: " + challenge + " (expected: 401)");
            }
            Signer signer = new Signer(challenge.get(Realm.class).value(), challenge.get(Nonce.class).value());
            StunMessage allocated = expect(client, signer.sign(StunMessage.request(Method.ALLOCATE)
                    .add(RequestedTransport.UDP)), StunClass.SUCCESS_RESPONSE);
            InetSocketAddress relayed = allocated.get(XorRelayedAddress.class).address();
            expect(client, signer.sign(StunMessage.request(Method.CREATE_PERMISSION).add(new XorPeerAddress(toIndications))),
                    StunClass.SUCCESS_RESPONSE);
            expect(client, signer.sign(StunMessage.request(Method.CHANNEL_BIND).add(new ChannelNumber(CHANNEL),
                    new XorPeerAddress(toChannel))), StunClass.SUCCESS_RESPONSE);
            expect(client, signer.sign(StunMessage.request(Method.REFRESH).add(Lifetime.ofSeconds(600))),
                    StunClass.SUCCESS_RESPONSE);

            byte[] payload = new byte[PAYLOAD];
            byte[] channelData = channelData(payload);
            byte[] send = encode(StunMessage.indication(Method.SEND).add(new XorPeerAddress(toIndications),
                    new Data(payload)).build());
            for (int round = 0; round < ROUNDS; round++) {
                relay(client, channelData, channelPeer, relayed, "ChannelData");
                if (round % INDICATION_EVERY == 0) {
                    relay(client, send, indicationPeer, relayed, "Send and Data indications");
                    expect(client, binding, StunClass.SUCCESS_RESPONSE);
                }
            }
            expect(client, signer.sign(StunMessage.request(Method.REFRESH).add(Lifetime.ofSeconds(0))),
                    StunClass.SUCCESS_RESPONSE);
        }
    }

    /**
     * Sends {@link #BURST} copies of {@code frame} from the client, has {@code peer} send each one it receives
     * back to the relayed address, and waits for as many to reach the client.
     */
    private void relay(Link client, byte[] frame, DatagramSocket peer, InetSocketAddress relayed, String kind)
            throws IOException {
        for (int i = 0; i < BURST; i++) {
            client.send(frame);
        }
        DatagramPacket packet = new DatagramPacket(receiveBuffer, receiveBuffer.length);
        for (int i = 0; i < BURST; i++) {
            packet.setData(receiveBuffer);
            receive(peer, packet, kind + " to the peer");
            packet.setSocketAddress(relayed);
            peer.send(packet);
        }
        for (int i = 0; i < BURST; i++) {
            client.receive(kind + " back from the peer");
        }
        datagrams += BURST;
    }

    private StunMessage expect(Link client, byte[] request, StunClass expected) throws IOException {
        client.send(request);
        // The transaction id is bytes 8-19 of both the request and its response (RFC 8489 §6).
        while (true) {
            byte[] answer = client.receive("an answer to " + describe(request));
            if (answer.length >= StunMessageCodec.HEADER_LENGTH
                    && Arrays.equals(answer, 8, 20, request, 8, 20)) {
                StunMessage response = decode(answer);
                if (response.stunClass() != expected) {
                    ErrorCode error = response.get(ErrorCode.class);
                    throw new Failure(describe(request) + ": " + (error == null ? response.toString()
                            : error.code() + " " + error.reason()));
                }
                requests++;
                return response;
            }
        }
    }

    private static String describe(byte[] request) {
        return decode(request).method().toString();
    }

    /** Encodes with the allocator the server's sockets use, so that the codec sees the buffers it sees there. */
    private static byte[] encode(StunMessage message) {
        ByteBuf buf = StunMessageCodec.encode(message, ByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private static StunMessage decode(byte[] bytes) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
        try {
            return StunMessageCodec.decode(buf);
        } finally {
            buf.release();
        }
    }

    private static byte[] channelData(byte[] payload) {
        byte[] frame = new byte[4 + payload.length];
        frame[0] = (byte) (CHANNEL >>> 8);
        frame[1] = (byte) CHANNEL;
        frame[2] = (byte) (payload.length >>> 8);
        frame[3] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 4, payload.length);
        return frame;
    }

    private static void receive(DatagramSocket socket, DatagramPacket packet, String what) throws IOException {
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            throw new Failure("no " + what + " within " + TIMEOUT_MILLIS + " ms");
        }
    }

    /** Signs requests with the long-term credential (RFC 8489 §9.2) for the realm and nonce of a 401. */
    private final class Signer {
        private final String realm;
        private final String nonce;
        private final byte[] key;

        Signer(String realm, String nonce) {
            this.realm = realm;
            this.nonce = nonce;
            this.key = LongTermCredentials.key(user, realm, password);
        }

        byte[] sign(StunMessage.Builder request) {
            return encode(request.add(new Username(user), new Realm(realm), new Nonce(nonce)).integrity(key).fingerprint()
                    .build());
        }
    }

    /** The client's connection to the server: whole STUN messages and ChannelData frames each way. */
    private interface Link extends AutoCloseable {
        void send(byte[] frame) throws IOException;

        byte[] receive(String what) throws IOException;

        @Override
        void close() throws IOException;
    }

    private final class UdpLink implements Link {
        private final DatagramSocket socket;
        private final DatagramPacket out = new DatagramPacket(new byte[0], 0);
        private final DatagramPacket in = new DatagramPacket(receiveBuffer, receiveBuffer.length);

        UdpLink(InetSocketAddress server) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.connect(server);
        }

        @Override
        public void send(byte[] frame) throws IOException {
            out.setData(frame);
            socket.send(out);
        }

        @Override
        public byte[] receive(String what) throws IOException {
            in.setData(receiveBuffer);
            WarmUpTraffic.receive(socket, in, what);
            return Arrays.copyOf(receiveBuffer, in.getLength());
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** RFC 8656 §12.5 framing: STUN messages by their length field, ChannelData by theirs, padded to 4 bytes. */
    private static final class TcpLink implements Link {
        private final Socket socket;
        private final OutputStream out;
        private final DataInputStream in;

        TcpLink(InetSocketAddress server) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(server, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
        }

        @Override
        public void send(byte[] frame) throws IOException {
            out.write(frame);
        }

        @Override
        public byte[] receive(String what) throws IOException {
            try {
                int first = in.readUnsignedShort();
                int length = in.readUnsignedShort();
                boolean stun = (first & 0xC000) == 0;
                int rest = stun ? StunMessageCodec.HEADER_LENGTH - 4 + length : (length + 3) & ~3;
                byte[] frame = new byte[4 + rest];
                frame[0] = (byte) (first >>> 8);
                frame[1] = (byte) first;
                frame[2] = (byte) (length >>> 8);
                frame[3] = (byte) length;
                in.readFully(frame, 4, rest);
                return frame;
            } catch (SocketTimeoutException e) {
                throw new Failure("no " + what + " within " + TIMEOUT_MILLIS + " ms");
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** An answer other than the session calls for, or none: ends the warm-up early. */
    static final class Failure extends IOException {
        Failure(String message) {
            super(message, null);
        }
    }
}
