/** An application that embeds turnlab's TURN server and checks it with turnlab's client. */
module com.example.relaycheck {
    // EmbeddedRelay hands out a TurnServer; RelayCheck only uses the client.
    requires transitive dev.turnlab.server;
    requires dev.turnlab.client;

    exports com.example.relaycheck;
}
