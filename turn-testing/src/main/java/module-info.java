/**
 * {@code TurnServerExtension}: a JUnit 5 extension that runs turnlab's TURN server on loopback for a test
 * class and hands the test its addresses, credentials and ready clients. A test module that requires
 * this one reads the server, the client, the test tools (Peer, MutableClock) and JUnit's API as well.
 */
module dev.turnlab.testing {
    exports dev.turnlab.testing;

    requires transitive dev.turnlab.server;
    requires transitive dev.turnlab.client;
    requires transitive dev.turnlab.testing.tools;
    requires transitive org.junit.jupiter.api;
    // builder().tls() makes the server generate a self-signed certificate with Bouncy Castle, which
    // dev.turnlab.server requires only statically: requiring it here puts it in the module graph.
    requires org.bouncycastle.pkix;
}
