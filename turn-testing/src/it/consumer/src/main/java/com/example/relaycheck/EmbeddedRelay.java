package com.example.relaycheck;

import dev.turnlab.server.PortRange;
import dev.turnlab.server.TurnServer;

/** A TURN server embedded in this application: 127.0.0.1, UDP and TCP on ephemeral ports, no TLS. */
public final class EmbeddedRelay {

    private EmbeddedRelay() {
    }

    /** Starts a server with one user that relays to peers on loopback; the caller closes it. */
    public static TurnServer start(String username, String password, PortRange relayPorts) {
        return TurnServer.builder()
                .listen("127.0.0.1")
                .port(0)
                .noTls()
                .ioThreads(1)
                .relayPorts(relayPorts)
                .user(username, password)
                .allowLoopbackPeers(true)
                .build()
                .start();
    }

    /** Embeds a server, checks it with {@link RelayCheck}, and prints what the check saw. */
    public static void main(String[] args) throws Exception {
        PortRange relayPorts = args.length > 0 ? PortRange.parse(args[0]) : PortRange.EXPRESSWAY;
        try (TurnServer server = start("alice", "alice-secret", relayPorts)) {
            RelayCheck.Result result = RelayCheck.run(server.udpAddress(), "alice", "alice-secret");
            System.out.println("relayed \"" + result.received() + "\" from " + result.sender());
        }
    }
}
