package com.example.relaycheck;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.TurnResult;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A check of a TURN server through turnlab's client: allocate over UDP, permit a peer on loopback, send
 * it one datagram through the relay, and see it arrive from the relayed address.
 */
public final class RelayCheck {

    private static final int TIMEOUT_SECONDS = 20;

    private RelayCheck() {
    }

    /** What the check saw: the relayed address and the datagram that arrived from it at the peer. */
    public record Result(InetSocketAddress relayedAddress, InetSocketAddress sender, String received) {
    }

    /** Runs the check against the server at {@code server} with a long-term credential. */
    public static Result run(InetSocketAddress server, String username, String password)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        String sent = "hello through the relay";
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                TurnClient client = TurnClient.builder().server(server).transport(Transport.UDP)
                        .credentials(username, password).build()) {
            peer.setSoTimeout(TIMEOUT_SECONDS * 1000);
            TurnResult<Allocation> allocated = client.allocate().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!allocated.isSuccess()) {
                throw new IllegalStateException("Allocate failed: " + allocated);
            }
            TurnResult<?> permitted = client.createPermission(peer.getLocalAddress())
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!permitted.isSuccess()) {
                throw new IllegalStateException("CreatePermission failed: " + permitted);
            }
            client.send((InetSocketAddress) peer.getLocalSocketAddress(), sent.getBytes(StandardCharsets.UTF_8))
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
            peer.receive(packet);
            String received = new String(Arrays.copyOf(packet.getData(), packet.getLength()), StandardCharsets.UTF_8);
            return new Result(allocated.value().relayedAddress(), (InetSocketAddress) packet.getSocketAddress(),
                    received);
        }
    }
}
