package dev.turnlab.server.handler;

import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.FiveTuple;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per allocation event, like the Expressway-E event log: created (user, client, relayed
 * address), refreshed, deleted (with packets and bytes each way), and one per rejected request (user,
 * realm, source and reason; never a password, key or MAC).
 */
final class AllocationLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.turnlab.server.allocation");
    private static final Logger AUTH = LoggerFactory.getLogger("dev.turnlab.server.auth");

    private AllocationLog() {
    }

    static void created(Allocation a, Duration lifetime) {
        LOG.info("TURN allocation created: user={} client={} relayed={} lifetime={}s", a.username(),
                a.fiveTuple(), FiveTuple.format(a.relayedAddress()), lifetime.getSeconds());
    }

    static void refreshed(Allocation a, Duration lifetime) {
        LOG.info("TURN allocation refreshed: user={} client={} relayed={} lifetime={}s", a.username(),
                a.fiveTuple(), FiveTuple.format(a.relayedAddress()), lifetime.getSeconds());
    }

    static void deleted(Allocation a, String reason) {
        LOG.info("TURN allocation deleted: user={} client={} relayed={} reason={} to-peer={} packets/{} bytes"
                        + " to-client={} packets/{} bytes", a.username(), a.fiveTuple(),
                FiveTuple.format(a.relayedAddress()), reason, a.packetsToPeer(), a.bytesToPeer(),
                a.packetsToClient(), a.bytesToClient());
    }

    static void rejected(String method, String user, String realm, FiveTuple source, int code, String reason) {
        AUTH.info("TURN request rejected: method={} user={} realm={} source={} error={} reason={}", method,
                user == null ? "-" : user, realm, source, code, reason);
    }

    static void refused(String method, String user, FiveTuple source, int code, String reason) {
        LOG.info("TURN request refused: method={} user={} source={} error={} reason={}", method,
                user == null ? "-" : user, source, code, reason);
    }

    static void malformed(FiveTuple source, String reason) {
        LOG.debug("malformed STUN from {}: {}", source, reason);
    }

    static void challenged(String method, FiveTuple source) {
        AUTH.debug("TURN challenge: method={} source={}", method, source);
    }
}
