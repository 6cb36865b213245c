package dev.turnlab.server.allocation;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ports held for a later Allocate by RESERVATION-TOKEN (RFC 8656 §7.2 rule for EVEN-PORT with R set):
 * the token is unguessable, the port stays taken in the allocator until claimed or until the reservation
 * expires (§14.9 suggests about 30 seconds).
 */
public final class Reservations {

    private record Held(int port, long expiresAt) {
    }

    private final RelayPortAllocator ports;
    private final long holdMillis;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, Held> held = new ConcurrentHashMap<>();

    /** Reservations that keep ports from {@code ports} for {@code holdMillis}. */
    public Reservations(RelayPortAllocator ports, long holdMillis) {
        this.ports = ports;
        this.holdMillis = holdMillis;
    }

    /** Holds {@code port} (already acquired by the caller) and returns its token. */
    public long hold(int port, long now) {
        long token;
        do {
            token = random.nextLong();
        } while (held.putIfAbsent(token, new Held(port, now + holdMillis)) != null);
        return token;
    }

    /** Claims the port held by {@code token}, or -1 if the token is unknown or expired (508, RFC 8656 §7.2). */
    public int claim(long token, long now) {
        Held h = held.remove(token);
        if (h == null) {
            return -1;
        }
        if (now >= h.expiresAt) {
            ports.release(h.port);
            return -1;
        }
        return h.port;
    }

    /** Releases the ports of expired reservations. */
    public void sweep(long now) {
        for (Map.Entry<Long, Held> e : held.entrySet()) {
            // remove(key, value) so that a port claimed meanwhile is not released twice.
            if (now >= e.getValue().expiresAt && held.remove(e.getKey(), e.getValue())) {
                ports.release(e.getValue().port);
            }
        }
    }

    /** Releases every held port (server shutdown). */
    public void clear() {
        sweep(Long.MAX_VALUE);
    }

    /** How many ports are held. */
    public int size() {
        return held.size();
    }
}
