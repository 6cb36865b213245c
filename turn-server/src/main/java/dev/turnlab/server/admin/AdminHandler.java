package dev.turnlab.server.admin;

import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.fault.FaultCommands;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code GET /metrics}, {@code GET /status} and the live status page ({@code GET /status.html} with its
 * {@code /status.js} and {@code /status.css}, see {@link StatusPage}), and switches lab faults
 * on {@code /faults} ({@link FaultCommands}), drains on {@code /drain} and reloads the TLS certificate on
 * {@code POST /tls/reload}; any other path is 404, any other method 405. Snapshots are gathered asynchronously, so no event loop ever waits for another.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    private static final String TEXT = "text/plain; charset=utf-8";
    /** The policy of everything but the page: a document that loads nothing and is framed nowhere. */
    private static final String NOTHING = "default-src 'none'; frame-ancestors 'none'";

    private final ServerMonitor monitor;
    /** The last response of this connection, touched on its event loop only. */
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

    AdminHandler(ServerMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        CompletableFuture<Response> response = route(request, ctx.channel().remoteAddress());
        // Responses leave in the order the requests came, also when a client pipelines them.
        previous = previous.thenCompose(v -> response.handle((r, error) -> {
            if (error != null) {
                LOG.debug("admin {}: {}", request.uri(), error.toString());
                r = new Response(HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "unavailable: " + error.getMessage() + "\n");
            }
            respond(ctx, keepAlive && r.status().code() < 500, r);
            return null;
        }));
    }

    /** A response to send; {@code allow} is the Allow header of a 405. */
    private record Response(HttpResponseStatus status, String type, String text, String allow) {
        Response(HttpResponseStatus status, String type, String text) {
            this(status, type, text, "GET");
        }
    }

    private CompletableFuture<Response> route(FullHttpRequest request, java.net.SocketAddress client) {
        if (!request.decoderResult().isSuccess()) {
            return done(HttpResponseStatus.BAD_REQUEST, "bad request\n");
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (FaultCommands.handles(path)) {
            String origin = "admin " + (client instanceof java.net.InetSocketAddress a ? FiveTuple.format(a) : client);
            FaultCommands.Result r = FaultCommands.handle(monitor.faults(), request.method().name(), path,
                    request.content().toString(StandardCharsets.UTF_8), origin);
            return CompletableFuture.completedFuture(new Response(HttpResponseStatus.valueOf(r.status()), TEXT, r.text(),
                    "GET, POST, DELETE"));
        }
        if (path.equals("/drain")) {
            return drain(request.method(), client);
        }
        if (path.equals("/tls/reload")) {
            return reloadTls(request.method(), client);
        }
        String type;
        Supplier<CompletableFuture<String>> body;
        switch (path) {
            case "/metrics" -> {
                type = PrometheusText.CONTENT_TYPE;
                body = () -> monitor.metrics().thenApply(PrometheusText::format);
            }
            case "/status" -> {
                type = "application/json; charset=utf-8";
                body = () -> monitor.status().thenApply(StatusJson::format);
            }
            default -> {
                StatusPage.File file = StatusPage.file(path);
                if (file == null) {
                    return done(HttpResponseStatus.NOT_FOUND,
                            "not found: try /metrics, /status, /status.html, /faults, /drain or /tls/reload\n");
                }
                type = file.type();
                body = () -> CompletableFuture.completedFuture(file.text());
            }
        }
        if (!request.method().equals(HttpMethod.GET)) {
            return done(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed: GET only\n");
        }
        return body.get().thenApply(text -> new Response(HttpResponseStatus.OK, type, text));
    }

    /** {@code POST /drain} starts draining, {@code DELETE /drain} ends it, {@code GET /drain} tells. */
    private CompletableFuture<Response> drain(HttpMethod method, java.net.SocketAddress client) {
        DrainSwitch drain = monitor.drain();
        if (method.equals(HttpMethod.POST) || method.equals(HttpMethod.DELETE)) {
            boolean on = method.equals(HttpMethod.POST);
            if (drain.drain(on)) {
                LOG.info("admin {}: draining {}", client instanceof java.net.InetSocketAddress a ? FiveTuple.format(a)
                        : client, on ? "switched on" : "switched off");
            }
        } else if (!method.equals(HttpMethod.GET)) {
            return CompletableFuture.completedFuture(new Response(HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT,
                    "method not allowed: GET, POST or DELETE\n", "GET, POST, DELETE"));
        }
        return done(HttpResponseStatus.OK, drain.report().draining() ? "draining\n" : "not draining\n");
    }

    /**
     * {@code POST /tls/reload} reloads the TLS certificate and key from their files: 200 when the listener serves
     * the files' certificate, 409 when it kept the old one (a bad file) or has none to reload.
     */
    private CompletableFuture<Response> reloadTls(HttpMethod method, java.net.SocketAddress client) {
        if (!method.equals(HttpMethod.POST)) {
            return CompletableFuture.completedFuture(new Response(HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT,
                    "method not allowed: POST only\n", "POST"));
        }
        LOG.info("admin {}: TLS certificate reload", client instanceof java.net.InetSocketAddress a ? FiveTuple.format(a)
                : client);
        // Reading two small files: the admin listener's own event loop may wait for that.
        dev.turnlab.server.TlsReload r = monitor.tls().reload();
        return done(r.ok() ? HttpResponseStatus.OK : HttpResponseStatus.CONFLICT, r + "\n");
    }

    private static CompletableFuture<Response> done(HttpResponseStatus status, String text) {
        return CompletableFuture.completedFuture(new Response(status, TEXT, text));
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, Response r) {
        ByteBuf content = ctx.alloc().buffer(r.text().length());
        content.writeCharSequence(r.text(), StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(), content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, r.type())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff")
                .set("Content-Security-Policy", r.type().startsWith("text/html") ? StatusPage.POLICY : NOTHING);
        if (r.status().equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
            response.headers().set(HttpHeaderNames.ALLOW, r.allow());
        }
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
