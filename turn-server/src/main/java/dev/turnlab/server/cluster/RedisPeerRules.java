package dev.turnlab.server.cluster;

import dev.turnlab.server.Cidr;
import dev.turnlab.server.relay.PeerPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The realm's peer rules in the cluster's Redis, coturn's sets {@code allowed-peer-ip} and
 * {@code denied-peer-ip} (addresses, prefixes or ranges {@code A-B}), read again every time {@link #refresh}
 * runs and merged into the {@link PeerPolicy} with the local rules. While Redis cannot be read the last rules
 * read stay; an entry that is no address, prefix or range is skipped, said once at debug.
 */
public final class RedisPeerRules {

    private static final Logger LOG = LoggerFactory.getLogger(RedisPeerRules.class);

    private final RedisLink link;
    private final String realm;
    private final PeerPolicy policy;

    /** The rules of {@code realm} read through {@code link} into {@code policy}. */
    public RedisPeerRules(RedisLink link, String realm, PeerPolicy policy) {
        this.link = link;
        this.realm = realm;
        this.policy = policy;
    }

    /** Reads both sets and, when both were read, sets them on the policy; completes when done, never fails. */
    public CompletableFuture<Void> refresh() {
        CompletableFuture<Set<String>> allowed = link.call(c -> c.smembers(CoturnKeys.allowedPeers(realm)));
        CompletableFuture<Set<String>> denied = link.call(c -> c.smembers(CoturnKeys.deniedPeers(realm)));
        return allowed.thenCombine(denied, (a, d) -> {
            policy.sharedRules(prefixes(a), prefixes(d));
            return (Void) null;
        }).exceptionally(e -> null);
    }

    /** The prefixes of coturn's entries; entries that are none are skipped. */
    static List<Cidr> prefixes(Set<String> entries) {
        List<Cidr> prefixes = new ArrayList<>();
        for (String entry : entries.stream().sorted().toList()) {
            try {
                prefixes.addAll(Cidr.parseRange(entry.strip()));
            } catch (IllegalArgumentException e) {
                LOG.debug("Redis peer rule skipped: {}", e.getMessage());
            }
        }
        return prefixes;
    }
}
