package dev.turnlab.server.cluster;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One node of the cluster as its last heartbeat announced it: where clients reach it and how loaded it is.
 *
 * @param name the node's name, unique in the cluster
 * @param address where clients reach it (named in ALTERNATE-SERVER)
 * @param freePorts its relay ports free
 * @param ports its relay ports in all
 * @param allocations its allocations (those being created included)
 * @param quota its total quota, 0 for none
 * @param draining whether it takes no new allocation
 * @param expires when its announcement expires, in Redis's milliseconds since the epoch
 */
public record NodeLoad(String name, InetSocketAddress address, int freePorts, int ports, int allocations, int quota,
        boolean draining, long expires) {

    /** Checks the name and the address. */
    public NodeLoad {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
    }

    /** Whether it takes no new allocation: every relay port taken, or its total quota reached. */
    public boolean full() {
        return freePorts <= 0 || quota > 0 && allocations >= quota;
    }

    /**
     * How loaded it is, in whole percent: the larger of the share of relay ports taken and the share of its
     * total quota used. Nodes of one percent are equally loaded, so that a burst of redirects is spread over
     * them rather than sent to one.
     */
    public int loadPercent() {
        long portsTaken = ports <= 0 ? 100 : 100L * Math.max(0, ports - freePorts) / ports;
        long quotaUsed = quota <= 0 ? 0 : 100L * allocations / quota;
        return (int) Math.min(100, Math.max(portsTaken, quotaUsed));
    }

    /** Whether its announcement still lives at {@code now} (Redis's milliseconds since the epoch). */
    public boolean liveAt(long now) {
        return expires > now;
    }
}
