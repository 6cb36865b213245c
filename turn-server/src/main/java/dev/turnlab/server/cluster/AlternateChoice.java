package dev.turnlab.server.cluster;

import java.util.List;

/**
 * Which node a full or draining node sends a new allocation to (300 Try Alternate, RFC 8489 §10): the least
 * loaded live node other than itself that takes allocations. A pure function of the registry.
 */
public final class AlternateChoice {

    private AlternateChoice() {
    }

    /**
     * The node for the {@code turn}-th redirect, or null when none qualifies. Qualifies: not {@code self},
     * live at {@code now}, neither draining nor full. Of those, the ones of the lowest
     * {@link NodeLoad#loadPercent} are the least loaded class; {@code nodes} in a fixed order (by name), the
     * class's members are taken in turn, so a burst is spread over them, and the same turn gives the same node.
     */
    public static NodeLoad choose(List<NodeLoad> nodes, String self, long now, int turn) {
        int best = Integer.MAX_VALUE;
        int members = 0;
        for (NodeLoad n : nodes) {
            if (qualifies(n, self, now)) {
                int load = n.loadPercent();
                if (load < best) {
                    best = load;
                    members = 1;
                } else if (load == best) {
                    members++;
                }
            }
        }
        if (members == 0) {
            return null;
        }
        int pick = Math.floorMod(turn, members);
        for (NodeLoad n : nodes) {
            if (qualifies(n, self, now) && n.loadPercent() == best && pick-- == 0) {
                return n;
            }
        }
        throw new AssertionError("unreachable: " + members + " members of load " + best);
    }

    private static boolean qualifies(NodeLoad n, String self, long now) {
        return !n.name().equals(self) && n.liveAt(now) && !n.draining() && !n.full();
    }
}
