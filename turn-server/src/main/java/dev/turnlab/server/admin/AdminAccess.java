package dev.turnlab.server.admin;

import dev.turnlab.server.allocation.FiveTuple;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the admin listener: with a token, every request that reads data or changes something must
 * carry it ({@code Authorization: Bearer}, RFC 6750); the status page's static files are public, since the
 * page's script sends the token itself. A refusal is a 401 with {@code WWW-Authenticate: Bearer}, counted,
 * and logged at debug at most once a second (a scanner cannot flood the log).
 */
final class AdminAccess {

    private static final Logger LOG = LoggerFactory.getLogger(AdminAccess.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final AdminToken token;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
    private final AtomicLong unlogged = new AtomicLong();

    /** Access with {@code token}, or open to all when null (a loopback-only listener). */
    AdminAccess(AdminToken token) {
        this.token = token;
    }

    /** Whether {@code path} is a static file of the status page, served without a token. */
    static boolean isPublic(String path) {
        return StatusPage.file(path) != null;
    }

    /** Requests refused so far. */
    long refused() {
        return refused.get();
    }

    /** Null when {@code request} for {@code path} may go on, else the 401 to send. */
    AdminResponse check(HttpRequest request, String path, SocketAddress client) {
        if (token == null || isPublic(path) || token.admits(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            return null;
        }
        refused.incrementAndGet();
        log(request, path, client);
        return new AdminResponse(HttpResponseStatus.UNAUTHORIZED, AdminResponse.JSON,
                ApiJson.error(401, "unauthorized: send Authorization: Bearer <the admin token>"), "GET", true);
    }

    private void log(HttpRequest request, String path, SocketAddress client) {
        if (!LOG.isDebugEnabled()) {
            return;
        }
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last < LOG_INTERVAL_NANOS || !lastLogged.compareAndSet(last, now)) {
            unlogged.incrementAndGet();
            return;
        }
        LOG.atDebug().setMessage("admin request unauthorized").addKeyValue("client", origin(client))
                .addKeyValue("method", request.method().name()).addKeyValue("path", dev.turnlab.server.handler.LogText.bounded(path))
                .addKeyValue("token", request.headers().contains(HttpHeaderNames.AUTHORIZATION) ? "wrong" : "none")
                .addKeyValue("suppressed_before", unlogged.getAndSet(0)).log();
    }

    /** The client's address as the admin log lines name it. */
    static String origin(SocketAddress client) {
        return client instanceof InetSocketAddress a ? FiveTuple.format(a) : String.valueOf(client);
    }
}
