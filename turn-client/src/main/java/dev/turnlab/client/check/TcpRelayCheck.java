package dev.turnlab.client.check;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.DataConnection;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.TurnResult;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.codec.HostPort;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.attribute.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * turn-check's relay test of a TCP relay (RFC 6062): the client connects through the relay to a local
 * TCP peer (CreatePermission, Connect, a data connection bound by ConnectionBind), sends a token on
 * the data connection, and the peer must receive it and echo it back through the relay to the client.
 * A refused Connect is reported with its code: 447 when the relay could not open the TCP connection
 * to the peer, 446 when it had one already. Blocking; every wait ends within the check's timeout.
 */
final class TcpRelayCheck {

    /** How long one accept waits before looking whether Connect was refused meanwhile. */
    private static final int ACCEPT_SLICE_MS = 50;

    private final CheckOptions options;

    TcpRelayCheck(CheckOptions options) {
        this.options = options;
    }

    RelayCheck run(TurnClient client, Allocation allocation) {
        int timeoutMillis = (int) Math.max(1, options.timeout().toMillis());
        try (ServerSocket peer = new ServerSocket()) {
            peer.bind(new InetSocketAddress(UdpRelayCheck.peerAddress(client, allocation), 0));
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            CompletableFuture<TurnResult<DataConnection>> connecting = client.connect(peerAddress);
            try (Socket relaySide = accept(peer, connecting, timeoutMillis)) {
                TurnResult<DataConnection> connected = connecting.join();
                if (!connected.isSuccess()) {
                    return refused(peerAddress, connected);
                }
                try (DataConnection data = connected.value()) {
                    if (relaySide == null) {
                        return failed(peerAddress, "Connect succeeded, but no TCP connection from the relay reached "
                                + "the peer " + HostPort.format(peerAddress) + " within " + timeoutMillis + " ms");
                    }
                    return echo(data, relaySide, peerAddress, timeoutMillis);
                }
            }
        } catch (IOException | CompletionException e) {
            return failed(null, "the relay test could not run: " + e.getMessage());
        }
    }

    /** Accepts the relay's connection to the peer, giving up early when Connect fails or is refused. */
    private static Socket accept(ServerSocket peer, CompletableFuture<TurnResult<DataConnection>> connecting,
            int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        peer.setSoTimeout(ACCEPT_SLICE_MS);
        while (System.nanoTime() < deadline) {
            try {
                return peer.accept();
            } catch (SocketTimeoutException notYet) {
                if (connecting.isDone() && (connecting.isCompletedExceptionally() || !connecting.join().isSuccess())) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The token from the client to the peer through the relay, and the peer's echo back. */
    private RelayCheck echo(DataConnection data, Socket relaySide, InetSocketAddress peerAddress, int timeoutMillis)
            throws IOException {
        BlockingQueue<byte[]> atClient = new LinkedBlockingQueue<>();
        data.onData(atClient::add);
        byte[] ping = UdpRelayCheck.token("tcp ping");
        long start = System.nanoTime();
        data.send(ping).join();
        relaySide.setSoTimeout(timeoutMillis);
        byte[] atPeer = read(relaySide.getInputStream(), ping.length);
        boolean clientToPeer = Arrays.equals(atPeer, ping);
        if (!clientToPeer) {
            return failed(peerAddress,
                    "the relay connected to the peer, but what the client sent on its data connection did not reach it");
        }
        relaySide.getOutputStream().write(atPeer);
        relaySide.getOutputStream().flush();
        boolean peerToClient = Arrays.equals(await(atClient, ping.length, timeoutMillis), ping);
        Duration roundTrip = peerToClient ? Duration.ofNanos(System.nanoTime() - start) : null;
        return new RelayCheck(peerToClient ? RelayCheck.Status.PASSED : RelayCheck.Status.FAILED, peerAddress,
                peerToClient, true, roundTrip, null, peerToClient ? ""
                        : "what the client sent through the relay reached the peer, but the peer's echo did not come back "
                                + "on the data connection", null);
    }

    /**
     * A refusal: of CreatePermission or Connect, with its code for the diagnosis (403, 446, 447); of
     * ConnectionBind, in words only, since the peer was reached and the permission was not the matter.
     */
    private static RelayCheck refused(InetSocketAddress peer, TurnResult<DataConnection> result) {
        ErrorCode e = result.error().orElseThrow();
        Method method = result.response().method();
        String detail = method + " refused";
        if (method.equals(Method.CONNECTION_BIND)) {
            return failed(peer, detail + ": " + e.code() + " " + e.reason());
        }
        return new RelayCheck(RelayCheck.Status.FAILED, peer, false, false, null, e, detail, null);
    }

    private static RelayCheck failed(InetSocketAddress peer, String detail) {
        return new RelayCheck(RelayCheck.Status.FAILED, peer, false, false, null, null, detail, null);
    }

    /** Up to {@code count} bytes, fewer when the stream ends or times out first. */
    private static byte[] read(InputStream in, int count) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream(count);
        byte[] buffer = new byte[count];
        try {
            for (int n; got.size() < count && (n = in.read(buffer, 0, count - got.size())) >= 0; ) {
                got.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException partial) {
            // what came so far
        }
        return got.toByteArray();
    }

    /** Up to {@code count} bytes from the data connection's chunks, waiting at most {@code timeoutMillis}. */
    private static byte[] await(BlockingQueue<byte[]> chunks, int count, int timeoutMillis) {
        ByteArrayOutputStream got = new ByteArrayOutputStream(count);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            for (long left; got.size() < count && (left = deadline - System.nanoTime()) > 0; ) {
                byte[] chunk = chunks.poll(left, TimeUnit.NANOSECONDS);
                if (chunk != null) {
                    got.writeBytes(chunk);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return got.toByteArray();
    }
}
