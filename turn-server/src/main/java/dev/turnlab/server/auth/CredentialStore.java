package dev.turnlab.server.auth;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the server finds long-term credentials (RFC 8489 §9.2): the password of a user at a given time,
 * and for stores that list their users, the user behind a USERHASH (§14.4).
 */
public interface CredentialStore {

    /** The password of {@code username}, or empty when the user is unknown or the credential expired. */
    Optional<String> password(String username, long nowMillis);

    /**
     * Every password {@code username} may have now, tried in turn: one, or one per shared secret for a store
     * with several (coturn's set of secrets, where a TURN REST API username is valid if any of them signs it).
     */
    default List<String> passwords(String username, long nowMillis) {
        return password(username, nowMillis).map(List::of).orElse(List.of());
    }

    /** Every password {@code username} had if it is a well-formed credential that expired (see {@link #expiredPassword}). */
    default List<String> expiredPasswords(String username, long nowMillis) {
        return expiredPassword(username, nowMillis).map(List::of).orElse(List.of());
    }

    /**
     * Null when this store can answer for {@code username} from memory now, the common case; else a future
     * that completes once it can (a remote store looked the user up), or fails when the user cannot be
     * checked now (the store is unreachable and holds nothing recent enough). Never blocks.
     */
    default CompletableFuture<Void> lookUp(String username, long nowMillis) {
        return null;
    }

    /**
     * The password {@code username} had if it is a well-formed credential that expired by {@code nowMillis}
     * (a TURN REST API username past its time), else empty. A request that verifies with it is refused all
     * the same, but it proved the key: it is not a password guess.
     */
    default Optional<String> expiredPassword(String username, long nowMillis) {
        return Optional.empty();
    }

    /**
     * The long-term key of {@code username} when it is stored as a key, not a password: the RFC 5389 MD5
     * key (RFC 8489 §9.2.2) that coturn writes as {@code NAME:0x<hex>}. Such a user can only answer with
     * MD5: no other algorithm's key can be derived from it.
     */
    default Optional<byte[]> md5Key(String username) {
        return Optional.empty();
    }

    /** The user whose USERHASH for {@code realm} is {@code userHash} (RFC 8489 §14.4), if this store can tell. */
    default Optional<String> username(byte[] userHash, String realm) {
        return Optional.empty();
    }

    /** A store that asks {@code first}, then {@code second}. */
    static CredentialStore firstOf(CredentialStore first, CredentialStore second) {
        return new CredentialStore() {
            @Override
            public Optional<String> password(String username, long nowMillis) {
                Optional<String> p = first.password(username, nowMillis);
                return p.isPresent() ? p : second.password(username, nowMillis);
            }

            @Override
            public List<String> passwords(String username, long nowMillis) {
                List<String> p = first.passwords(username, nowMillis);
                return !p.isEmpty() ? p : second.passwords(username, nowMillis);
            }

            @Override
            public List<String> expiredPasswords(String username, long nowMillis) {
                List<String> p = first.expiredPasswords(username, nowMillis);
                return !p.isEmpty() ? p : second.expiredPasswords(username, nowMillis);
            }

            /** The second store is asked only for a user the first cannot answer for: local users stay first. */
            @Override
            public CompletableFuture<Void> lookUp(String username, long nowMillis) {
                CompletableFuture<Void> pending = first.lookUp(username, nowMillis);
                if (pending != null || !first.passwords(username, nowMillis).isEmpty() || first.md5Key(username).isPresent()) {
                    return pending;
                }
                return second.lookUp(username, nowMillis);
            }

            @Override
            public Optional<String> expiredPassword(String username, long nowMillis) {
                Optional<String> p = first.expiredPassword(username, nowMillis);
                return p.isPresent() ? p : second.expiredPassword(username, nowMillis);
            }

            @Override
            public Optional<byte[]> md5Key(String username) {
                Optional<byte[]> k = first.md5Key(username);
                return k.isPresent() ? k : second.md5Key(username);
            }

            @Override
            public Optional<String> username(byte[] userHash, String realm) {
                Optional<String> u = first.username(userHash, realm);
                return u.isPresent() ? u : second.username(userHash, realm);
            }
        };
    }
}
