package dev.turnlab.client;

import java.net.InetSocketAddress;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands what peers sent through the relay to the client's data listener: a Data indication with the
 * peer it names (RFC 8656 §11.6), ChannelData with the peer its channel is bound to (§12.6).
 * ConnectionAttempt indications (RFC 6062 §4.4) go on to the TCP relay's side of the client.
 * ChannelData on a channel not bound is discarded, and a listener that throws is logged, so neither
 * disturbs the connection. Called on the client's event loop; the listener may be set from any thread.
 */
final class PeerData implements TransactionHandler.Inbound {

    private static final Logger logger = LoggerFactory.getLogger(PeerData.class);

    private final AllocationState state;
    private final Consumer<ConnectionAttempt> attempts;
    private volatile BiConsumer<InetSocketAddress, byte[]> listener;

    /**
     * Delivers to {@code listener} (none when null), finding channels' peers in {@code state}, and passes
     * ConnectionAttempt indications to {@code attempts}.
     */
    PeerData(AllocationState state, BiConsumer<InetSocketAddress, byte[]> listener, Consumer<ConnectionAttempt> attempts) {
        this.state = state;
        this.listener = listener;
        this.attempts = attempts;
    }

    /** Replaces the listener; null drops what arrives. */
    void listener(BiConsumer<InetSocketAddress, byte[]> listener) {
        this.listener = listener;
    }

    @Override
    public void data(InetSocketAddress peer, byte[] data) {
        deliver(peer, data);
    }

    @Override
    public void channelData(int channelNumber, byte[] data) {
        state.peer(channelNumber).ifPresentOrElse(peer -> deliver(peer, data),
                () -> logger.debug("discarded ChannelData on unbound channel {}", channelNumber));
    }

    @Override
    public void connectionAttempt(ConnectionAttempt attempt) {
        attempts.accept(attempt);
    }

    private void deliver(InetSocketAddress peer, byte[] data) {
        BiConsumer<InetSocketAddress, byte[]> current = listener;
        if (current == null) {
            return;
        }
        try {
            current.accept(peer, data);
        } catch (RuntimeException e) {
            logger.warn("data listener failed on data from {}", peer, e);
        }
    }
}
