package dev.turnlab.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the refreshes a client's allocation state asks for, and logs those that fail. */
final class Renewals implements AllocationState.Renewal {

    private static final Logger LOG = LoggerFactory.getLogger(TurnClient.class);

    private final TurnClient client;

    Renewals(TurnClient client) {
        this.client = client;
    }

    @Override
    public void refreshAllocation(Duration lifetime) {
        renew("allocation", client.refreshAllocation(lifetime));
    }

    @Override
    public void refreshPermission(InetAddress peer) {
        renew("permission " + peer.getHostAddress(), client.createPermission(peer));
    }

    @Override
    public void refreshChannel(InetSocketAddress peer) {
        renew("channel to " + peer, client.channelBind(peer));
    }

    private void renew(String what, CompletableFuture<? extends TurnResult<?>> renewal) {
        renewal.whenComplete((r, e) -> {
            if (e != null || !r.isSuccess()) {
                LOG.warn("refreshing the {} on {} failed: {}", what, client.server(), e != null ? e.getMessage() : r);
            }
        });
    }
}
