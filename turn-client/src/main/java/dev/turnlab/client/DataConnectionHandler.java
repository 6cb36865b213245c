package dev.turnlab.client;

import dev.turnlab.codec.StunMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's end for a client data connection (RFC 6062 §4.3): the ConnectionBind transaction
 * while it waits for its answer, then the peer's bytes. Bytes that arrive before anyone listens are
 * kept, and reading pauses until a listener comes, so none is lost and none piles up. How the
 * connection ended is remembered: closed here, closed by the server, or reset. Everything runs on the
 * channel's event loop.
 */
final class DataConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger logger = LoggerFactory.getLogger(DataConnectionHandler.class);

    private final CompletableFuture<DataConnection.Closure> closure = new CompletableFuture<>();
    private final ArrayDeque<byte[]> unread = new ArrayDeque<>();
    private ClientTransactions transactions;
    private ChannelHandlerContext ctx;
    private Consumer<byte[]> listener;
    private DataConnection.Closure cause;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // Each request carries its own schedule; this default is never used.
        this.transactions = ClientTransactions.create(ctx.executor(), ctx::writeAndFlush, Retransmission.udp());
    }

    /** Starts a transaction on this connection, signed with {@code key} when it is not null. On the loop. */
    CompletableFuture<Exchange> transact(StunMessage request, byte[] key, Retransmission schedule) {
        return transactions.transact(request, key, schedule);
    }

    /** Completes with how the connection ended. */
    CompletableFuture<DataConnection.Closure> closure() {
        return closure;
    }

    /** Sets who receives the peer's bytes, first those kept, and reads on. On the loop. */
    void listener(Consumer<byte[]> next) {
        listener = next;
        while (listener != null && !unread.isEmpty()) {
            deliver(unread.poll());
        }
        ctx.channel().config().setAutoRead(listener != null);
    }

    /** Closes the connection, remembered as closed here unless it had ended already. On the loop. */
    CompletableFuture<DataConnection.Closure> close() {
        if (cause == null) {
            cause = DataConnection.Closure.LOCAL;
        }
        ctx.close();
        return closure;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof StunMessage response) {
                transactions.onResponse(response);
            } else if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
                deliver(ByteBufUtil.getBytes(bytes));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void deliver(byte[] bytes) {
        if (listener == null) {
            unread.add(bytes);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        try {
            listener.accept(bytes);
        } catch (RuntimeException e) {
            logger.warn("data connection listener failed on {} bytes from the peer", bytes.length, e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (this.cause == null) {
            this.cause = DataConnection.Closure.RESET;
        }
        logger.debug("closing data connection to {}: {}", ctx.channel().remoteAddress(), cause.toString());
        transactions.close(TransactionHandler.failure(cause));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        transactions.close(new NoAnswerException(NoAnswerException.Reason.CLOSED, "data connection closed"));
        closure.complete(cause != null ? cause : DataConnection.Closure.REMOTE);
        ctx.fireChannelInactive();
    }
}
