package dev.turnlab.client;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/** A blocking UDP peer on 127.0.0.1 for relay tests; every receive has a timeout. */
final class Peer implements AutoCloseable {

    private final DatagramSocket socket;

    Peer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void send(InetSocketAddress to, byte[] data) throws IOException {
        socket.send(new DatagramPacket(data, data.length, to));
    }

    /** The next datagram and its sender, or null after {@code timeoutMillis}. */
    Received receive(int timeoutMillis) throws IOException {
        byte[] buffer = new byte[65_536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.setSoTimeout(timeoutMillis);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new Received((InetSocketAddress) packet.getSocketAddress(),
                Arrays.copyOf(packet.getData(), packet.getLength()));
    }

    @Override
    public void close() {
        socket.close();
    }

    record Received(InetSocketAddress sender, byte[] data) {
    }
}
