package dev.turnlab.server.handler;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the server's UDP request path (RFC 8489 §6.3, RFC 8656 §7-§12): datagrams from
 * four clients, partly signed with valid credentials so that Allocate, Refresh, CreatePermission, ChannelBind,
 * Send and ChannelData are reached, and datagrams from peers to the relay sockets, through the real
 * {@link UdpListenerHandler}, {@link RequestProcessor} and relay handlers. The server answers or drops, never
 * meets an exception, keeps its listener open and, once the allocations are deleted, holds no buffer, quota
 * count or relay port (see {@link FuzzedServer}).
 */
class UdpListenerFuzzTest {

    @FuzzTest(maxDuration = "4s")
    void datagrams(byte[] input) {
        try (FuzzedServer server = new FuzzedServer(false)) {
            server.play(Script.parse(input));
        }
    }
}
