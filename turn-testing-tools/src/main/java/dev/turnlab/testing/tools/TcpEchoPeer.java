package dev.turnlab.testing.tools;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP echo peer on a loopback port 0 for TCP relay tests (RFC 6062): it accepts connections, sends back
 * every byte it reads, and reports the connections it accepted and the ends it saw. One thread accepts,
 * one per connection echoes; {@link #close()} closes them all.
 */
public final class TcpEchoPeer implements Closeable {

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final BlockingQueue<InetSocketAddress> accepted = new LinkedBlockingQueue<>();
    private final BlockingQueue<InetSocketAddress> ended = new LinkedBlockingQueue<>();

    private TcpEchoPeer(ServerSocket server) {
        this.server = server;
        Thread acceptor = new Thread(this::acceptLoop, "tcp-echo-peer-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** An echo peer on an ephemeral port of {@code 127.0.0.1}. */
    public static TcpEchoPeer start() throws IOException {
        return start(InetAddress.getLoopbackAddress());
    }

    /** An echo peer on an ephemeral port of {@code address} (for example {@code ::1}). */
    public static TcpEchoPeer start(InetAddress address) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(address, 0));
        return new TcpEchoPeer(server);
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** The remote address of the next connection accepted, or null if none comes within {@code timeout} ms. */
    public InetSocketAddress awaitAccepted(long timeoutMillis) throws InterruptedException {
        return accepted.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * The remote address of the next connection that ended (closed or reset by the other side), or null if
     * none ends within {@code timeout} ms.
     */
    public InetSocketAddress awaitEnded(long timeoutMillis) throws InterruptedException {
        return ended.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Closes the connections accepted so far from this side, as a peer that hangs up does. */
    public void closeConnections() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        closeConnections();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                accepted.add((InetSocketAddress) s.getRemoteSocketAddress());
                Thread echo = new Thread(() -> echo(s), "tcp-echo-" + s.getPort());
                echo.setDaemon(true);
                echo.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void echo(Socket s) {
        byte[] buffer = new byte[8192];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException resetOrClosedHere) {
            // reported as ended below, like an orderly close
        } finally {
            ended.add((InetSocketAddress) s.getRemoteSocketAddress());
        }
    }
}
