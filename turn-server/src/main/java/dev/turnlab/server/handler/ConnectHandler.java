package dev.turnlab.server.handler;

import dev.turnlab.codec.attribute.ConnectionId;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.XorPeerAddress;
import dev.turnlab.codec.netty.StunStreamDecoder;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.relay.PeerRule;
import dev.turnlab.server.relay.tcp.TcpRelays;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connect and ConnectionBind (RFC 6062 §5.2, §5.4), the requests of TCP relays. Connect runs on the event
 * loop of the control connection, which owns the allocation; ConnectionBind on that of the new client data
 * connection, which it turns from STUN into the peer's raw bytes.
 */
final class ConnectHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectHandler.class);

    private final ServerContext context;
    private final TcpRelays tcp;

    ConnectHandler(ServerContext context, TcpRelays tcp) {
        this.context = context;
        this.tcp = tcp;
    }

    /** Connect (RFC 6062 §5.2) for {@code allocation}, the one of the request's 5-tuple and user. */
    void connect(Reply reply, Allocation allocation) {
        if (!tcp.serves(allocation)) {
            reply.error(ErrorCode.BAD_REQUEST.withReason("Bad Request: not a TCP allocation"));
            return;
        }
        // §5.2: an XOR-PEER-ADDRESS, else 400.
        XorPeerAddress peer = reply.request().get(XorPeerAddress.class);
        if (peer == null) {
            reply.error(ErrorCode.BAD_REQUEST.withReason("Bad Request: no XOR-PEER-ADDRESS"));
            return;
        }
        // §5.2: a connection the server's policy forbids gets 403, as a permission for it would (RFC 8656
        // §9.2): the peer rules, and a permission for the peer's IP address installed by CreatePermission,
        // as an incoming connection needs one (§5.3); 443 for a family the allocation does not relay.
        InetSocketAddress target = context.endpoints().inward(peer.address());
        PeerRule rule = context.peers().rule(target);
        if (RequestProcessor.refused(reply, allocation, peer.address(), target, rule)) {
            return;
        }
        if (!allocation.hasPermission(target.getAddress(), context.clock().millis())) {
            LOG.debug("Connect from {} to {} refused: no permission", reply.link().fiveTuple(), FiveTuple.format(target));
            reply.error(ErrorCode.FORBIDDEN);
            return;
        }
        // §5.2: a connection to the peer being made, or made and not closed: 446. Past the peer quota: 508.
        switch (tcp.check(allocation, target)) {
            case ALREADY_EXISTS -> reply.error(ErrorCode.CONNECTION_ALREADY_EXISTS);
            case QUOTA_REACHED -> reply.error(ErrorCode.INSUFFICIENT_CAPACITY);
            case ALLOWED -> tcp.connect(allocation, target, id -> reply.success(new ConnectionId(id)),
                    () -> reply.error(ErrorCode.CONNECTION_TIMEOUT_OR_FAILURE));
            default -> throw new AssertionError();
        }
    }

    /**
     * ConnectionBind (RFC 6062 §5.4), authenticated: on a TCP or TLS connection that holds no allocation,
     * with the CONNECTION-ID of a peer data connection waiting for its bind and the credentials of the
     * allocation's user. On success the connection becomes the client data connection: its STUN handlers
     * leave the pipeline, and its bytes and the peer's pass as they are.
     */
    void connectionBind(Reply reply) {
        FiveTuple tuple = reply.link().fiveTuple();
        ConnectionId id = reply.request().get(ConnectionId.class);
        Allocation own = context.allocations().find(tuple);
        if (!(reply.link() instanceof StreamListenerHandler.StreamLink stream)) {
            reply.error(ErrorCode.BAD_REQUEST.withReason("Bad Request: ConnectionBind over UDP"));
            return;
        }
        if (id == null) {
            reply.error(ErrorCode.BAD_REQUEST.withReason("Bad Request: no CONNECTION-ID"));
            return;
        }
        if (own != null && !own.isDeleted()) {
            reply.error(ErrorCode.BAD_REQUEST.withReason("Bad Request: ConnectionBind on a control connection"));
            return;
        }
        TcpRelays.Claim claim = tcp.claim(id.id(), reply.auth().username());
        switch (claim.outcome()) {
            case UNKNOWN -> {
                LOG.debug("ConnectionBind from {} for unknown connection id {}", tuple, Integer.toUnsignedString(id.id()));
                reply.error(ErrorCode.BAD_REQUEST.withReason("Bad Request: unknown CONNECTION-ID"));
            }
            case WRONG_USER -> {
                LOG.debug("ConnectionBind from {} for connection id {} of another user", tuple,
                        Integer.toUnsignedString(id.id()));
                reply.error(ErrorCode.WRONG_CREDENTIALS);
            }
            case CLAIMED -> {
                reply.success();
                Channel channel = stream.channel();
                claim.connection().splice(channel);
                ChannelPipeline pipeline = channel.pipeline();
                remove(pipeline, StreamDeadlines.class);
                remove(pipeline, IdleStateHandler.class);
                remove(pipeline, StreamListenerHandler.class);
                // Last: the decoder hands what it holds past the ConnectionBind to the handler now after it.
                remove(pipeline, StunStreamDecoder.class);
            }
            default -> throw new AssertionError();
        }
    }

    private static void remove(ChannelPipeline pipeline, Class<? extends ChannelHandler> type) {
        if (pipeline.get(type) != null) {
            pipeline.remove(type);
        }
    }
}
