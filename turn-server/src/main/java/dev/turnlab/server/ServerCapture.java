package dev.turnlab.server;

import dev.turnlab.codec.capture.CaptureConfig;
import dev.turnlab.codec.capture.CaptureHandler;
import dev.turnlab.codec.capture.PacketCapture;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import java.io.IOException;

/**
 * The server's packet capture ({@code --capture}): a {@link CaptureHandler} next to every UDP socket,
 * listeners and relays alike, so that client ↔ server and relay ↔ peer datagrams are recorded as they
 * cross the socket; on TCP and TLS connections one behind the TLS handler, so that a TLS connection is
 * recorded as its plaintext STUN on the TLS port. When off, pipelines are exactly as without it.
 */
final class ServerCapture implements AutoCloseable {

    /** No capture. */
    static final ServerCapture OFF = new ServerCapture(null);

    private final PacketCapture capture;

    private ServerCapture(PacketCapture capture) {
        this.capture = capture;
    }

    /** {@link #OFF} for a null {@code config}; else the capture file, created now. */
    static ServerCapture open(CaptureConfig config) {
        if (config == null) {
            return OFF;
        }
        try {
            return new ServerCapture(PacketCapture.open(config));
        } catch (IOException e) {
            throw new IllegalArgumentException("capture: cannot write " + config.file() + " (" + e + ")", e);
        }
    }

    /** The handler of a UDP socket: {@code handler} itself when off, else it behind a capture handler. */
    ChannelHandler datagram(ChannelHandler handler) {
        if (capture == null) {
            return handler;
        }
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new CaptureHandler(capture), handler);
            }
        };
    }

    /** Adds a capture handler to a connection's pipeline, after its TLS handler if it has one. */
    void stream(ChannelPipeline pipeline) {
        if (capture != null) {
            pipeline.addLast(new CaptureHandler(capture));
        }
    }

    /** Writes what is buffered and closes the file. */
    @Override
    public void close() {
        if (capture != null) {
            capture.close();
        }
    }
}
