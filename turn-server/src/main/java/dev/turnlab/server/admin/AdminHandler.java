package dev.turnlab.server.admin;

import dev.turnlab.server.fault.FaultCommands;
import dev.turnlab.server.handler.LogText;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code GET /metrics}, {@code GET /status} and the live status page ({@code GET /status.html} with its
 * {@code /status.js} and {@code /status.css}, see {@link StatusPage}), switches lab faults on {@code /faults}
 * ({@link FaultCommands}), drains on {@code /drain}, reloads the TLS certificate on {@code POST /tls/reload}, and
 * serves the JSON admin API under {@code /api/} ({@link AdminApi}); any other path is 404, any other method 405.
 * With a token, every request but the status page's static files must carry it ({@link AdminAccess}). Snapshots
 * are gathered asynchronously, so no event loop ever waits for another; a failure is answered with a line, never
 * a stack trace.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    /** The policy of everything but the page: a document that loads nothing and is framed nowhere. */
    private static final String NOTHING = "default-src 'none'; frame-ancestors 'none'";

    private final ServerMonitor monitor;
    private final AdminAccess access;
    private final AdminApi api;
    /** The last response of this connection, touched on its event loop only. */
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

    AdminHandler(ServerMonitor monitor, AdminAccess access) {
        this.monitor = monitor;
        this.access = access;
        this.api = new AdminApi(monitor);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        CompletableFuture<AdminResponse> response;
        try {
            response = route(request, ctx.channel().remoteAddress());
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<AdminResponse> answer = response;
        // Responses leave in the order the requests came, also when a client pipelines them.
        previous = previous.thenCompose(v -> answer.handle((r, error) -> {
            if (error != null) {
                r = failed(request.uri(), error);
            }
            respond(ctx, keepAlive && r.status().code() < 500, r);
            return null;
        }));
    }

    /** The response to a request that failed: its cause in the server's log, one line to the client. */
    private static AdminResponse failed(String uri, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException || cause instanceof IllegalStateException) {
            LOG.debug("admin {}: {}", LogText.bounded(uri), cause.toString());
            return AdminResponse.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable: "
                    + (cause.getMessage() == null ? "the server did not answer in time" : cause.getMessage()) + "\n");
        }
        LOG.warn("admin {}: internal error", LogText.bounded(uri), cause);
        return AdminResponse.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error (see the server's log)\n");
    }

    private CompletableFuture<AdminResponse> route(FullHttpRequest request, java.net.SocketAddress remote) {
        if (!request.decoderResult().isSuccess()) {
            return done(HttpResponseStatus.BAD_REQUEST, "bad request\n");
        }
        String path = new QueryStringDecoder(request.uri()).path();
        AdminResponse refused = access.check(request, path, remote);
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        String client = AdminAccess.origin(remote);
        if (AdminApi.handles(path)) {
            return api.route(request.method(), request.uri(), request.content().toString(StandardCharsets.UTF_8), client);
        }
        if (FaultCommands.handles(path)) {
            FaultCommands.Result r = FaultCommands.handle(monitor.faults(), request.method().name(), path,
                    request.content().toString(StandardCharsets.UTF_8), "admin " + client);
            return CompletableFuture.completedFuture(AdminResponse.text(HttpResponseStatus.valueOf(r.status()), r.text())
                    .allowing("GET, POST, DELETE"));
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
                body = () -> monitor.metrics().thenApply(m -> PrometheusText.format(m) + PrometheusText.admin(access.refused()));
            }
            case "/status" -> {
                type = AdminResponse.JSON;
                body = () -> monitor.status().thenApply(StatusJson::format);
            }
            default -> {
                StatusPage.File file = StatusPage.file(path);
                if (file == null) {
                    return done(HttpResponseStatus.NOT_FOUND, "not found: try /metrics, /status, /status.html, "
                            + "/api/allocations, /api/config, /faults, /drain or /tls/reload\n");
                }
                type = file.type();
                body = () -> CompletableFuture.completedFuture(file.text());
            }
        }
        if (!request.method().equals(HttpMethod.GET)) {
            return CompletableFuture.completedFuture(AdminResponse.notAllowed("GET"));
        }
        return body.get().thenApply(text -> new AdminResponse(HttpResponseStatus.OK, type, text, "GET", false));
    }

    /** {@code POST /drain} starts draining, {@code DELETE /drain} ends it, {@code GET /drain} tells. */
    private CompletableFuture<AdminResponse> drain(HttpMethod method, String client) {
        DrainSwitch drain = monitor.drain();
        if (method.equals(HttpMethod.POST) || method.equals(HttpMethod.DELETE)) {
            AdminApi.switchDrain(drain, method.equals(HttpMethod.POST), client);
        } else if (!method.equals(HttpMethod.GET)) {
            return CompletableFuture.completedFuture(AdminResponse.notAllowed("GET, POST, DELETE"));
        }
        return done(HttpResponseStatus.OK, drain.report().draining() ? "draining\n" : "not draining\n");
    }

    /**
     * {@code POST /tls/reload} reloads the TLS certificate and key from their files: 200 when the listener serves
     * the files' certificate, 409 when it kept the old one (a bad file) or has none to reload.
     */
    private CompletableFuture<AdminResponse> reloadTls(HttpMethod method, String client) {
        if (!method.equals(HttpMethod.POST)) {
            return CompletableFuture.completedFuture(AdminResponse.notAllowed("POST"));
        }
        dev.turnlab.server.TlsReload r = AdminApi.reload(monitor, client);
        return done(r.ok() ? HttpResponseStatus.OK : HttpResponseStatus.CONFLICT, r + "\n");
    }

    private static CompletableFuture<AdminResponse> done(HttpResponseStatus status, String text) {
        return CompletableFuture.completedFuture(AdminResponse.text(status, text));
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, AdminResponse r) {
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
        if (r.challenge()) {
            // RFC 6750 §3: the scheme, and no error attribute when no token came at all.
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"turnlab admin\"");
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
