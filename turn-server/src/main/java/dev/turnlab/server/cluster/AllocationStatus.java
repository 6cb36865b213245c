package dev.turnlab.server.cluster;

import dev.turnlab.server.ClusterCounters;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.handler.AllocationEvents;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Allocation status and traffic in the cluster's Redis as coturn writes them ({@code schema.stats.redis}),
 * so that coturn's monitoring keeps working: the key {@link CoturnKeys#statusKey} holds
 * {@code new lifetime=N} or {@code refreshed lifetime=N} and expires with the allocation; the same is published
 * on the allocation's {@code status} channel, and {@code deleted} when it goes (the key is deleted then); the
 * {@code traffic} channel gets the packets and bytes of the last interval, at most every
 * {@code trafficInterval} and only when there were some, and {@code total_traffic} the totals on deletion.
 * "Received" is what came from the client (relayed to peers), "sent" what went to it.
 *
 * <p>Fire and forget: nothing waits for Redis, a command that fails is counted, never thrown.
 */
public final class AllocationStatus implements AllocationEvents {

    /** The default interval of traffic reports per allocation. */
    public static final Duration DEFAULT_TRAFFIC_INTERVAL = Duration.ofSeconds(10);

    private final RedisLink link;
    private final String realm;
    private final ClusterCounters counters;
    private final Clock clock;
    private final long trafficInterval;
    // Per allocation: when its traffic was last reported, and the totals then (packets, bytes each way).
    private final Map<String, long[]> reported = new ConcurrentHashMap<>();

    /** Status of the allocations of {@code realm} written through {@code link}, traffic every {@code trafficInterval}. */
    public AllocationStatus(RedisLink link, String realm, ClusterCounters counters, Clock clock, Duration trafficInterval) {
        this.link = link;
        this.realm = realm;
        this.counters = counters;
        this.clock = clock;
        this.trafficInterval = trafficInterval.toMillis();
    }

    @Override
    public void created(Allocation a, Duration lifetime) {
        reported.put(a.id(), new long[] {clock.millis(), 0, 0, 0, 0});
        status(a, "new lifetime=" + lifetime.getSeconds(), lifetime);
    }

    @Override
    public void refreshed(Allocation a, Duration lifetime) {
        status(a, "refreshed lifetime=" + lifetime.getSeconds(), lifetime);
    }

    @Override
    public void swept(Allocation a) {
        long[] last = reported.get(a.id());
        long now = clock.millis();
        if (last == null || now - last[0] < trafficInterval) {
            return;
        }
        long rp = a.packetsToPeer() - last[1];
        long rb = a.bytesToPeer() - last[2];
        long sp = a.packetsToClient() - last[3];
        long sb = a.bytesToClient() - last[4];
        last[0] = now;
        if (rp == 0 && sp == 0) {
            return;
        }
        last[1] += rp;
        last[2] += rb;
        last[3] += sp;
        last[4] += sb;
        send(c -> c.publish(CoturnKeys.channel(realm, a.username(), a.id(), "traffic"), CoturnKeys.traffic(rp, rb, sp, sb)));
    }

    @Override
    public void deleted(Allocation a) {
        reported.remove(a.id());
        send(c -> c.del(CoturnKeys.statusKey(realm, a.username(), a.id())));
        send(c -> c.publish(CoturnKeys.channel(realm, a.username(), a.id(), "status"), "deleted"));
        send(c -> c.publish(CoturnKeys.channel(realm, a.username(), a.id(), "total_traffic"),
                CoturnKeys.traffic(a.packetsToPeer(), a.bytesToPeer(), a.packetsToClient(), a.bytesToClient())));
    }

    /** Allocations whose traffic is being followed now. */
    int followed() {
        return reported.size();
    }

    private void status(Allocation a, String status, Duration lifetime) {
        // coturn's SET, then EXPIRE with the lifetime, as one command.
        send(c -> c.set(CoturnKeys.statusKey(realm, a.username(), a.id()), status,
                SetArgs.Builder.ex(Math.max(1, lifetime.getSeconds()))));
        send(c -> c.publish(CoturnKeys.channel(realm, a.username(), a.id(), "status"), status));
    }

    private <T> void send(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
        try {
            link.call(command).whenComplete((v, e) -> counters.event(e == null));
        } catch (RuntimeException e) {
            // A link that is closing may throw rather than fail the future: counted all the same.
            counters.event(false);
        }
    }
}
