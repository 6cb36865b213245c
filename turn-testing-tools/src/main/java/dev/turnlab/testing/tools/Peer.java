package dev.turnlab.testing.tools;

import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/** A blocking UDP peer on loopback for relay tests: every receive has a timeout. */
public final class Peer implements Closeable {

    private final DatagramSocket socket;

    /** A peer on an ephemeral loopback port. */
    public Peer() throws IOException {
        this(InetAddress.getLoopbackAddress());
    }

    private Peer(InetAddress address) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(address, 0));
    }

    /** A peer on an ephemeral port of {@code address} (for example ::1). */
    public static Peer on(String address) throws IOException {
        return new Peer(InetAddress.getByName(address));
    }

    /** The peer's address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Sends {@code data} to {@code target}. */
    public void send(InetSocketAddress target, byte[] data) throws IOException {
        socket.send(new DatagramPacket(data, data.length, target));
    }

    /** The next datagram and its sender, or null after {@code timeoutMillis}. */
    public Received receive(int timeoutMillis) throws IOException {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.setSoTimeout(timeoutMillis);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new Received((InetSocketAddress) p.getSocketAddress(), Arrays.copyOf(buf, p.getLength()));
    }

    /**
     * Echoes one datagram: receives it and sends its bytes back to its sender (a relayed address when it
     * came through a TURN relay); the datagram, or null when none came within {@code timeoutMillis}.
     */
    public Received echo(int timeoutMillis) throws IOException {
        Received r = receive(timeoutMillis);
        if (r != null) {
            send(r.sender(), r.data());
        }
        return r;
    }

    /** A received datagram. */
    public record Received(InetSocketAddress sender, byte[] data) {
    }

    @Override
    public void close() {
        socket.close();
    }
}
