package dev.turnlab.testing;

import dev.turnlab.server.Profile;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.TurnServerBuilder;
import dev.turnlab.testing.tools.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Our server on loopback for a test that starts and stops servers itself, rather than one per class through
 * {@link TurnServerExtension}: 127.0.0.1 on an ephemeral port, no TLS, a relay range that is free when the
 * builder is made, one user ({@link #USER}/{@link #PASSWORD}), loopback peers allowed, one I/O thread. Adjust
 * the builder, then {@code build().start()} in a try-with-resources.
 */
public final class LoopbackServers {

    /** The one user's name. */
    public static final String USER = "alice";
    /** The one user's password. */
    public static final String PASSWORD = "alice-secret";

    private LoopbackServers() {
    }

    /** The standard profile: realm {@code turnlab}, 401 on a wrong password. */
    public static TurnServerBuilder standard() {
        FreePorts.Block relays;
        try {
            relays = FreePorts.udpBlock(50);
        } catch (IOException e) {
            throw new UncheckedIOException("no free block of relay ports on loopback", e);
        }
        return TurnServer.builder()
                .listen("127.0.0.1")
                .port(0)
                .noTls()
                .relayPorts(relays.min(), relays.max())
                .user(USER, PASSWORD)
                .allowLoopbackPeers(true)
                .ioThreads(1);
    }

    /** The Expressway-E profile: realm {@code TANDBERG}, 431 Integrity Check Failure on a wrong password. */
    public static TurnServerBuilder expressway() {
        return standard().profile(Profile.EXPRESSWAY);
    }
}
