package dev.turnlab.server;

import dev.turnlab.server.admin.AdminToken;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The HTTP admin listener: where it listens and the bearer token it asks for. Without a token it may only
 * listen on loopback, since what it shows (users, addresses) and changes (allocations, faults, draining)
 * is for the operator alone.
 *
 * @param address where it listens (port 0 for an ephemeral one)
 * @param token the bearer token every data or control endpoint asks for, or null for none (loopback only)
 */
public record AdminConfig(InetSocketAddress address, AdminToken token) {

    /** Refuses an address other than loopback without a token. */
    public AdminConfig {
        Objects.requireNonNull(address, "admin");
        if (token == null && (address.getAddress() == null || !address.getAddress().isLoopbackAddress())) {
            throw new IllegalArgumentException("admin: " + address.getHostString() + ":" + address.getPort()
                    + " without a token (expected: a loopback address such as 127.0.0.1, or a token: "
                    + "--admin-token-file or --admin-token-env)");
        }
    }

    /** Whether it asks for a token. */
    public boolean hasToken() {
        return token != null;
    }

    /** The admin listener at {@code address} asking for {@code token}, or null when there is none. */
    static AdminConfig of(InetSocketAddress address, AdminToken token) {
        if (address == null) {
            if (token != null) {
                throw new IllegalArgumentException("adminToken: set without an admin listener (expected: --admin ADDR:PORT)");
            }
            return null;
        }
        return new AdminConfig(address, token);
    }
}
