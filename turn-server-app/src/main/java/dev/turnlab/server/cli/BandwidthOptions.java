package dev.turnlab.server.cli;

import dev.turnlab.server.TurnServerBuilder;
import picocli.CommandLine.Option;

/**
 * coturn's bandwidth options under coturn's names, so that a {@code turnserver.conf} with {@code max-bps} and
 * {@code bps-capacity} works as it is: a limit per allocation and direction, and a budget each allocation
 * reserves its limit from.
 */
final class BandwidthOptions {

    @Option(names = "--max-bps", paramLabel = "BYTES",
            description = "Payload bytes per second each allocation may relay each way (client to peer, peer to client "
                    + "apart), bursts of one second's worth; the rest is dropped and counted (default 0: no limit).")
    Long maxBps;

    @Option(names = "--bps-capacity", paramLabel = "BYTES",
            description = "Bytes per second all allocations may reserve together: each reserves its --max-bps, an "
                    + "Allocate that does not fit gets 508 (300 with --alternate-server); needs --max-bps (default 0: none).")
    Long bpsCapacity;

    /** Sets what was given on {@code b}, whose checks refuse a negative value in one line. */
    void applyTo(TurnServerBuilder b) {
        if (maxBps != null) {
            b.maxBps(maxBps);
        }
        if (bpsCapacity != null) {
            b.bpsCapacity(bpsCapacity);
        }
    }
}
