package dev.turnlab.server.support;

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

/** A TCP peer on 127.0.0.1 that echoes every connection's bytes, one thread per connection, for TCP relay tests. */
public final class TcpEchoPeer implements Closeable {

    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Socket> arrivals = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    public TcpEchoPeer() throws IOException {
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "tcp-echo-peer");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Where the peer listens. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** The next connection the peer accepts, or null after {@code timeoutMillis}. */
    public Socket nextConnection(long timeoutMillis) throws InterruptedException {
        return arrivals.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.add(s);
                arrivals.add(s);
                Thread echo = new Thread(() -> echo(s), "tcp-echo-" + s.getPort());
                echo.setDaemon(true);
                echo.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void echo(Socket s) {
        byte[] buffer = new byte[16384];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // closed or reset: the connection is over
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}
