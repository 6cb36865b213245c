package dev.turnlab.client;

import dev.turnlab.server.Profile;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.TurnServerBuilder;

/** Our server on loopback for the client's tests: ephemeral port, a small relay range, one user. */
public final class LoopbackServers {

    /** The relay range of these tests, apart from the server module's (31000-31999). */
    public static final int RELAY_MIN = 32000;
    public static final int RELAY_MAX = 32499;
    public static final String USER = "alice";
    public static final String PASSWORD = "alice-secret";

    private LoopbackServers() {
    }

    /** The standard profile (realm turnlab, 401 on a wrong password), loopback peers allowed. */
    public static TurnServerBuilder standard() {
        return TurnServer.builder()
                .listen("127.0.0.1")
                .port(0)
                .noTls()
                .relayPorts(RELAY_MIN, RELAY_MAX)
                .user(USER, PASSWORD)
                .allowLoopbackPeers(true)
                .ioThreads(1);
    }

    /** The Expressway-E profile: realm TANDBERG, 431 on a wrong password. */
    public static TurnServerBuilder expressway() {
        return standard().profile(Profile.EXPRESSWAY);
    }
}
