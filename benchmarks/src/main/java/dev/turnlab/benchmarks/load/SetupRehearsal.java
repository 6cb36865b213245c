package dev.turnlab.benchmarks.load;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunCodecException;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.XorMappedAddress;
import dev.turnlab.codec.attribute.XorRelayedAddress;
import dev.turnlab.codec.auth.LongTermCredentials;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A stand-in that answers the setup's requests on a loopback UDP socket, so that turn-load can run its own
 * setup path (sockets, transactions, signing, verifying, decoding) until its JIT has compiled it, before it
 * measures a real server and without sending that server anything. It answers as RFC 8656 asks a server
 * to: an unsigned request gets a 401 with REALM and NONCE (RFC 8489 §9.2.4), a request whose
 * MESSAGE-INTEGRITY verifies gets a signed success response, an Allocate's with XOR-RELAYED-ADDRESS,
 * XOR-MAPPED-ADDRESS and LIFETIME (RFC 8656 §7.2). It keeps no allocation state and relays nothing.
 */
final class SetupRehearsal implements AutoCloseable {

    /** The realm offered when the run names none. */
    static final String REALM = "turn-load.rehearsal";
    private static final String NONCE = "rehearsal";
    private static final Software SOFTWARE = new Software("turn-load rehearsal");

    private final Channel channel;

    private SetupRehearsal(Channel channel) {
        this.channel = channel;
    }

    /**
     * Binds the stand-in to an ephemeral port of {@code address} on one loop of {@code group}, accepting
     * {@code config}'s user and password in {@code config}'s realm, or {@link #REALM} when it names none.
     */
    static SetupRehearsal start(EventLoopGroup group, NettyTransport transport, InetAddress address, LoadConfig config)
            throws InterruptedException {
        String realm = config.realm() == null ? REALM : config.realm();
        byte[] key = LongTermCredentials.key(config.user(), realm, config.password());
        Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.datagram())
                .handler(new Responder(realm, key));
        transport.datagramOptions(bootstrap, config.maxDatagram(), 4 << 20);
        return new SetupRehearsal(bootstrap.bind(new InetSocketAddress(address, 0)).sync().channel());
    }

    /** The address the stand-in answers on. */
    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Closes the socket. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    /** The answer to {@code request} from {@code sender}: a 401 challenge or a signed success. */
    static StunMessage answer(StunMessage request, InetSocketAddress sender, String realm, byte[] key) {
        if (!request.hasIntegrity() || !request.verifyIntegrity(key)) {
            StunMessage.Builder challenge = StunMessage.errorResponse(request, ErrorCode.UNAUTHORIZED)
                    .add(new Realm(realm), new Nonce(NONCE));
            return (request.hasFingerprint() ? challenge.fingerprint() : challenge).build();
        }
        StunMessage.Builder success = StunMessage.successResponse(request);
        if (request.method() == Method.ALLOCATE) {
            // No socket behind it: nothing is relayed during a rehearsal.
            success.add(new XorRelayedAddress(sender), new XorMappedAddress(sender),
                    Lifetime.ofSeconds(Session.LIFETIME_SECONDS));
        }
        // As servers answer (RFC 8489 §14.14, §14.7): SOFTWARE, and FINGERPRINT when the request had one.
        success.add(SOFTWARE).integrity(key);
        return (request.hasFingerprint() ? success.fingerprint() : success).build();
    }

    private static final class Responder extends SimpleChannelInboundHandler<DatagramPacket> {

        private final String realm;
        private final byte[] key;

        Responder(String realm, byte[] key) {
            this.realm = realm;
            this.key = key;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            if (!StunMessageCodec.isStun(packet.content(), true)) {
                return; // ChannelData or a probe: nothing is relayed
            }
            StunMessage request;
            try {
                request = StunMessageCodec.decode(packet.content());
            } catch (StunCodecException e) {
                return;
            }
            if (request.stunClass() == StunClass.REQUEST) {
                StunMessage response = answer(request, packet.sender(), realm, key);
                ctx.write(new DatagramPacket(StunMessageCodec.encode(response, ctx.alloc()), packet.sender()),
                        ctx.voidPromise());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
