package dev.turnlab.client.check;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.TurnResult;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.codec.capture.PacketCapture;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * turn-check's relay test of a UDP relay: data from a local UDP peer to the relayed address and on to
 * the client, and from the client through the relay to the peer and back. Blocking.
 */
final class UdpRelayCheck {

    private final CheckOptions options;
    private final PacketCapture capture;

    UdpRelayCheck(CheckOptions options, PacketCapture capture) {
        this.options = options;
        this.capture = capture;
    }

    /**
     * Data through the relay both ways: a local peer sends to the relayed address (as a browser's peer
     * would, knowing it from signalling) and the client must receive it; the client sends to the peer
     * through the relay, the peer must receive it and echo it to the relayed address, and the client
     * must receive the echo. When the peer's data was lost and the relayed address is not the address
     * checked (a server behind static NAT advertising its public address), the peer also sends to the
     * relayed port on the address checked: if that arrives, the relay works and only the way from here
     * to the advertised address (NAT reflection) is missing. (Relay to relay through two allocations
     * would test the same hairpin, but servers, ours included, refuse to relay to their own relay ports.)
     */
    RelayCheck run(TurnClient client, Allocation allocation, InetAddress checked) {
        int timeoutMillis = (int) Math.max(1, options.timeout().toMillis());
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(peerAddress(client, allocation), 0))) {
            InetSocketAddress peerLocal = (InetSocketAddress) peer.getLocalSocketAddress();
            Set<InetAddress> permitted = new LinkedHashSet<>(List.of(peerLocal.getAddress()));
            if (sameFamily(allocation.mappedAddress().getAddress(), allocation.relayedAddress().getAddress())) {
                permitted.add(allocation.mappedAddress().getAddress());
            }
            TurnResult<List<InetAddress>> permission = client.createPermission(permitted.toArray(new InetAddress[0])).join();
            if (!permission.isSuccess()) {
                return new RelayCheck(RelayCheck.Status.FAILED, peerLocal, false, false, null,
                        permission.error().orElseThrow(), "CreatePermission refused", null);
            }
            BlockingQueue<Received> atClient = new LinkedBlockingQueue<>();
            client.onData((from, data) -> atClient.add(new Received(from, data)));

            byte[] hello = token("hello");
            send(peer, hello, allocation.relayedAddress());
            Received first = awaitData(atClient, hello, timeoutMillis);
            boolean peerToClient = first != null;
            // The peer as the server sees it (behind a NAT, not its local address).
            InetSocketAddress peerSeen = peerToClient ? first.from() : peerLocal;

            byte[] ping = token("ping");
            long start = System.nanoTime();
            client.send(peerSeen, ping).join();
            byte[] atPeer = receive(peer, timeoutMillis);
            boolean clientToPeer = atPeer != null && Arrays.equals(atPeer, ping);
            Duration roundTrip = null;
            if (clientToPeer) {
                send(peer, ping, allocation.relayedAddress());
                if (awaitData(atClient, ping, timeoutMillis) != null) {
                    roundTrip = Duration.ofNanos(System.nanoTime() - start);
                }
            }
            Boolean viaChecked = null;
            if (!peerToClient && !allocation.relayedAddress().getAddress().equals(checked)) {
                byte[] direct = token("direct");
                peer.send(new DatagramPacket(direct, direct.length,
                        new InetSocketAddress(checked, allocation.relayedAddress().getPort())));
                viaChecked = awaitData(atClient, direct, timeoutMillis) != null;
            }
            boolean passed = peerToClient && clientToPeer && roundTrip != null;
            return new RelayCheck(passed ? RelayCheck.Status.PASSED : RelayCheck.Status.FAILED, peerSeen,
                    peerToClient, clientToPeer, roundTrip, null, passed ? "" : relayDetail(peerToClient, clientToPeer),
                    viaChecked);
        } catch (IOException | CompletionException e) {
            return new RelayCheck(RelayCheck.Status.FAILED, null, false, false, null, null,
                    "the relay test could not run: " + e.getMessage(), null);
        } finally {
            client.onData(null);
        }
    }

    /**
     * The relay test peer's address: the client's own when it is of the relay's family, otherwise the
     * address this host sends from towards the relayed address (RFC 8656 §7.2: the relay's family is the
     * one asked for, IPv4 by default, whatever the family of the server's address; a permission for a
     * peer of the other family is 443 Peer Address Family Mismatch).
     */
    static InetAddress peerAddress(TurnClient client, Allocation allocation) throws IOException {
        InetAddress local = client.localAddress().join().getAddress();
        InetAddress relayed = allocation.relayedAddress().getAddress();
        if (sameFamily(local, relayed)) {
            return local;
        }
        try (DatagramSocket route = new DatagramSocket()) {
            route.connect(allocation.relayedAddress()); // no packet: the kernel only picks the source address
            InetAddress source = route.getLocalAddress();
            if (source == null || source.isAnyLocalAddress() || !sameFamily(source, relayed)) {
                throw new IOException("no local address of the relay's family routes to " + relayed.getHostAddress());
            }
            return source;
        }
    }

    static boolean sameFamily(InetAddress a, InetAddress b) {
        return (a instanceof Inet6Address) == (b instanceof Inet6Address);
    }

    private static String relayDetail(boolean peerToClient, boolean clientToPeer) {
        if (!peerToClient && !clientToPeer) {
            return "nothing a peer sent to the relayed address reached the client, and nothing the client sent "
                    + "through the relay reached the peer";
        }
        if (!peerToClient) {
            return "what the client sent through the relay reached the peer, but nothing the peer sent to the "
                    + "relayed address reached the client";
        }
        if (!clientToPeer) {
            return "what the peer sent to the relayed address reached the client, but nothing the client sent "
                    + "through the relay reached the peer";
        }
        return "the peer's echo to the relayed address did not come back to the client";
    }

    private record Received(InetSocketAddress from, byte[] data) {
    }

    private static Received awaitData(BlockingQueue<Received> queue, byte[] expected, int timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                Received r = queue.poll(left, TimeUnit.NANOSECONDS);
                if (r != null && Arrays.equals(r.data(), expected)) {
                    return r;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /** Sends from the relay test's peer, recording the datagram when capturing. */
    private void send(DatagramSocket peer, byte[] data, InetSocketAddress to) throws IOException {
        peer.send(new DatagramPacket(data, data.length, to));
        if (capture != null) {
            capture.udp((InetSocketAddress) peer.getLocalSocketAddress(), to, data, 0, data.length);
        }
    }

    private byte[] receive(DatagramSocket socket, int timeoutMillis) throws IOException {
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.setSoTimeout(timeoutMillis);
        try {
            socket.receive(packet);
            if (capture != null) {
                capture.udp((InetSocketAddress) packet.getSocketAddress(), (InetSocketAddress) socket.getLocalSocketAddress(),
                        buffer, 0, packet.getLength());
            }
            return Arrays.copyOf(buffer, packet.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    static byte[] token(String what) {
        return ("turn-check " + what + " " + Long.toHexString(ThreadLocalRandom.current().nextLong()))
                .getBytes(StandardCharsets.US_ASCII);
    }
}
