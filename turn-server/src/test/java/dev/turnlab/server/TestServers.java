package dev.turnlab.server;

import java.time.Clock;

/** Servers for tests: loopback, ephemeral listening port, a small relay range, two users. */
final class TestServers {

    static final int RELAY_MIN = 31000;
    static final int RELAY_MAX = 31799;

    private TestServers() {
    }

    static TurnServerBuilder loopback(Clock clock) {
        return TurnServer.builder()
                .listen("127.0.0.1")
                .port(0)
                .relayPorts(RELAY_MIN, RELAY_MAX)
                .user("alice", "alice-secret")
                .user("bob", "bob-secret")
                .allowLoopbackPeers(true)
                .clock(clock)
                .ioThreads(1);
    }
}
