package dev.turnlab.server.relay;

import dev.turnlab.server.Cidr;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.relay.PeerPolicy.Verdict;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The rule of a {@link PeerPolicy} that decided about a peer, with what it matched: a prefix (and, for a
 * special-purpose one, its registry entry) or one of the server's sockets. It goes from the policy to the
 * log line of a refusal as it is; the answer to the client stays a bare 403 Forbidden (RFC 8656 §9.2).
 * Every rule a policy can return exists before it judges, so judging a peer builds no rule.
 *
 * @param kind which of the policy's rules
 * @param prefix the prefix that matched, for {@link Kind#ALLOW_PEER}, {@link Kind#DENY_PEER} and
 *     {@link Kind#SPECIAL_PURPOSE}; otherwise null
 * @param registryEntry what the IANA special-purpose registry calls the prefix and where it is defined, for
 *     {@link Kind#SPECIAL_PURPOSE}; otherwise null
 * @param socket the server's listening socket, for {@link Kind#OWN_LISTENER}; otherwise null
 */
public record PeerRule(Kind kind, Cidr prefix, String registryEntry, InetSocketAddress socket) {

    /** The policy's rules, in the order it applies them (see {@link PeerPolicy}). */
    public enum Kind {
        /** One of the server's listening sockets (TURN listeners, the admin HTTP port). */
        OWN_LISTENER(Verdict.SERVER_SOCKET),
        /** A relay port on a relay or advertised address that no live allocation holds. */
        UNHELD_RELAY_PORT(Verdict.SERVER_SOCKET),
        /** A held relay port named by a wildcard address (0.0.0.0, ::): the server itself. */
        WILDCARD_RELAY(Verdict.SERVER_SOCKET),
        /** A relay port a live allocation holds: relay to relay. */
        OWN_RELAY(Verdict.OWN_RELAY),
        /** An {@code --allow-peer} prefix. */
        ALLOW_PEER(Verdict.PERMITTED),
        /** A {@code --deny-peer} prefix. */
        DENY_PEER(Verdict.DENIED),
        /** A prefix of the cluster's {@code allowed-peer-ip} set in Redis. */
        SHARED_ALLOW_PEER(Verdict.PERMITTED),
        /** A prefix of the cluster's {@code denied-peer-ip} set in Redis. */
        SHARED_DENY_PEER(Verdict.DENIED),
        /** Loopback with {@code --allow-loopback-peers}. */
        ALLOW_LOOPBACK(Verdict.PERMITTED),
        /** A prefix of the IANA special-purpose address registries. */
        SPECIAL_PURPOSE(Verdict.DENIED),
        /** No rule refuses the peer. */
        UNRESTRICTED(Verdict.PERMITTED);

        private final Verdict verdict;

        Kind(Verdict verdict) {
            this.verdict = verdict;
        }
    }

    static final PeerRule UNHELD_RELAY_PORT = new PeerRule(Kind.UNHELD_RELAY_PORT, null, null, null);
    static final PeerRule WILDCARD_RELAY = new PeerRule(Kind.WILDCARD_RELAY, null, null, null);
    static final PeerRule OWN_RELAY = new PeerRule(Kind.OWN_RELAY, null, null, null);
    static final PeerRule ALLOW_LOOPBACK = new PeerRule(Kind.ALLOW_LOOPBACK, null, null, null);
    static final PeerRule UNRESTRICTED = new PeerRule(Kind.UNRESTRICTED, null, null, null);

    /** Checks that the kind has what it matched, and nothing else. */
    public PeerRule {
        Objects.requireNonNull(kind, "kind");
        boolean prefixed = kind == Kind.ALLOW_PEER || kind == Kind.DENY_PEER || kind == Kind.SHARED_ALLOW_PEER
                || kind == Kind.SHARED_DENY_PEER || kind == Kind.SPECIAL_PURPOSE;
        if (prefixed != (prefix != null) || (kind == Kind.SPECIAL_PURPOSE) != (registryEntry != null)
                || (kind == Kind.OWN_LISTENER) != (socket != null)) {
            throw new IllegalArgumentException("peer rule: " + kind + " with prefix " + prefix + ", registry entry "
                    + registryEntry + ", socket " + socket);
        }
    }

    static PeerRule allowPeer(Cidr prefix) {
        return new PeerRule(Kind.ALLOW_PEER, prefix, null, null);
    }

    static PeerRule denyPeer(Cidr prefix) {
        return new PeerRule(Kind.DENY_PEER, prefix, null, null);
    }

    static PeerRule sharedAllowPeer(Cidr prefix) {
        return new PeerRule(Kind.SHARED_ALLOW_PEER, prefix, null, null);
    }

    static PeerRule sharedDenyPeer(Cidr prefix) {
        return new PeerRule(Kind.SHARED_DENY_PEER, prefix, null, null);
    }

    static PeerRule specialPurpose(String prefix, String registryEntry) {
        return new PeerRule(Kind.SPECIAL_PURPOSE, Cidr.parse(prefix), registryEntry, null);
    }

    static PeerRule ownListener(InetSocketAddress socket) {
        return new PeerRule(Kind.OWN_LISTENER, null, null, socket);
    }

    /** What the policy decided by this rule. */
    public Verdict verdict() {
        return kind.verdict;
    }

    /** The rule as an operator configured or reads it, e.g. {@code special-purpose 10.0.0.0/8 (private, RFC 1918)}. */
    @Override
    public String toString() {
        return switch (kind) {
            case OWN_LISTENER -> "the server's own listener " + FiveTuple.format(socket);
            case UNHELD_RELAY_PORT -> "relay port not held by a live allocation";
            case WILDCARD_RELAY -> "relay port on a wildcard address";
            case OWN_RELAY -> "relay port of a live allocation (relay to relay)";
            case ALLOW_PEER -> "--allow-peer " + prefix;
            case DENY_PEER -> "--deny-peer " + prefix;
            case SHARED_ALLOW_PEER -> "allowed-peer-ip " + prefix + " (Redis)";
            case SHARED_DENY_PEER -> "denied-peer-ip " + prefix + " (Redis)";
            case ALLOW_LOOPBACK -> "--allow-loopback-peers";
            case SPECIAL_PURPOSE -> "special-purpose " + prefix + " (" + registryEntry + ")";
            case UNRESTRICTED -> "no rule refuses it";
        };
    }
}
