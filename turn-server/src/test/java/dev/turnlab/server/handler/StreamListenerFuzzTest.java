package dev.turnlab.server.handler;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the server's TCP request path (RFC 8656 §3.1, §12.5): a client's stream in
 * chunks of any size through the real {@code StunStreamDecoder} and {@link StreamListenerHandler}, with STUN
 * messages partly signed with valid credentials, and peers' datagrams to the relay sockets. The server answers,
 * drops or (when framing is lost) closes the connection, never meets another exception, and once the connection
 * is closed holds no allocation, buffer, quota count or relay port (see {@link FuzzedServer}).
 */
class StreamListenerFuzzTest {

    @FuzzTest(maxDuration = "4s")
    void stream(byte[] input) {
        try (FuzzedServer server = new FuzzedServer(true)) {
            server.play(Script.parse(input));
        }
    }
}
