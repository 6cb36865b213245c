package dev.turnlab.codec.dtls;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/** The handshakes under way on one DTLS handler, in all and per source address, against {@link DtlsLimits}. */
final class Handshakes {

    private final DtlsLimits limits;
    private final Map<InetAddress, Integer> bySource = new HashMap<>();
    private int underWay;

    Handshakes(DtlsLimits limits) {
        this.limits = limits;
    }

    /** Whether one more handshake from {@code source} stays within the limits. */
    boolean admit(InetAddress source) {
        return underWay < limits.maxHandshakes() && bySource.getOrDefault(source, 0) < limits.maxHandshakesPerSource();
    }

    void started(InetAddress source) {
        underWay++;
        bySource.merge(source, 1, Integer::sum);
    }

    void ended(InetAddress source) {
        underWay--;
        bySource.computeIfPresent(source, (a, n) -> n > 1 ? n - 1 : null);
    }

    @Override
    public String toString() {
        return underWay + " handshakes under way from " + bySource.size() + " addresses";
    }
}
