package dev.turnlab.server.admin;

import dev.turnlab.server.TlsReload;
import dev.turnlab.server.fault.FaultCommands;
import dev.turnlab.server.handler.LogText;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON endpoints under {@code /api/}: the allocations (listed with filters and pages, shown and ended
 * one by one by the id their log lines carry), the effective configuration with its secrets masked, the
 * drain switch, the lab faults and the TLS certificate reload. Every change is one INFO line naming what
 * changed and the client that changed it ({@link #changed}).
 */
final class AdminApi {

    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    private static final String ALLOCATIONS = "/api/allocations";

    private final ServerMonitor monitor;

    AdminApi(ServerMonitor monitor) {
        this.monitor = monitor;
    }

    /** Whether {@code path} is one of this API's. */
    static boolean handles(String path) {
        return path.equals("/api") || path.startsWith("/api/");
    }

    /** The response to {@code method} on {@code uri} with the request {@code body}, from {@code client}. */
    CompletableFuture<AdminResponse> route(HttpMethod method, String uri, String body, String client) {
        QueryStringDecoder query = new QueryStringDecoder(uri);
        String path = query.path();
        if (path.equals(ALLOCATIONS)) {
            return method.equals(HttpMethod.GET) ? list(query) : done(notAllowed("GET"));
        }
        if (path.startsWith(ALLOCATIONS + "/")) {
            String id = path.substring(ALLOCATIONS.length() + 1);
            if (method.equals(HttpMethod.GET)) {
                return show(id);
            }
            return method.equals(HttpMethod.DELETE) ? end(id, client) : done(notAllowed("GET, DELETE"));
        }
        return switch (path) {
            case "/api/config" -> method.equals(HttpMethod.GET)
                    ? done(AdminResponse.json(HttpResponseStatus.OK, ApiJson.config(monitor.config())))
                    : done(notAllowed("GET"));
            case "/api/drain" -> done(drain(method, client));
            case "/api/tls/reload" -> done(method.equals(HttpMethod.POST) ? reloadTls(client) : notAllowed("POST"));
            default -> FaultCommands.handles(path.substring("/api".length()))
                    ? done(faults(method, path.substring("/api".length()), body, client))
                    : done(error(HttpResponseStatus.NOT_FOUND, "not found: " + path + " (try /api/allocations, "
                            + "/api/allocations/ID, /api/config, /api/drain, /api/faults or /api/tls/reload)"));
        };
    }

    private CompletableFuture<AdminResponse> list(QueryStringDecoder query) {
        AllocationQuery q;
        try {
            q = AllocationQuery.parse(query.parameters());
        } catch (IllegalArgumentException e) {
            return done(error(HttpResponseStatus.BAD_REQUEST, e.getMessage()));
        }
        return monitor.status().thenApply(s -> AdminResponse.json(HttpResponseStatus.OK, ApiJson.page(q.apply(s.allocations()))));
    }

    private CompletableFuture<AdminResponse> show(String id) {
        return monitor.status().thenApply(s -> s.allocations().stream().filter(a -> a.id().equals(id)).findFirst()
                .map(a -> AdminResponse.json(HttpResponseStatus.OK, ApiJson.allocation(a)))
                .orElseGet(() -> unknown(id)));
    }

    private CompletableFuture<AdminResponse> end(String id, String client) {
        return monitor.end(id).thenApply(a -> {
            if (a == null) {
                return unknown(id);
            }
            LOG.atInfo().setMessage("admin change").addKeyValue("what", "allocation ended").addKeyValue("id", a.id())
                    .addKeyValue("user", LogText.bounded(a.username()))
                    .addKeyValue("client", client).log();
            return AdminResponse.json(HttpResponseStatus.OK, ApiJson.ended(a));
        });
    }

    private static AdminResponse unknown(String id) {
        return error(HttpResponseStatus.NOT_FOUND, "no allocation " + LogText.bounded(id)
                + " (ended, expired, or never there: GET /api/allocations lists them)");
    }

    private AdminResponse drain(HttpMethod method, String client) {
        if (method.equals(HttpMethod.POST) || method.equals(HttpMethod.DELETE)) {
            switchDrain(monitor.drain(), method.equals(HttpMethod.POST), client);
        } else if (!method.equals(HttpMethod.GET)) {
            return notAllowed("GET, POST, DELETE");
        }
        return AdminResponse.json(HttpResponseStatus.OK, ApiJson.drain(monitor.drain().report().draining()));
    }

    private AdminResponse faults(HttpMethod method, String path, String body, String client) {
        FaultCommands.Result r = FaultCommands.handle(monitor.faults(), method.name(), path, body, "admin " + client);
        if (r.status() == 405) {
            return notAllowed(path.equals("/faults") ? "GET, POST, DELETE" : "GET, DELETE");
        }
        if (r.status() != 200) {
            return error(HttpResponseStatus.valueOf(r.status()), r.text().strip());
        }
        List<String> lines = Arrays.stream(r.text().split("\n")).filter(s -> !s.isBlank()).toList();
        return AdminResponse.json(HttpResponseStatus.OK, ApiJson.faults(lines));
    }

    private AdminResponse reloadTls(String client) {
        TlsReload r = reload(monitor, client);
        return r.ok() ? AdminResponse.json(HttpResponseStatus.OK, ApiJson.result(r.toString()))
                : error(HttpResponseStatus.CONFLICT, r.toString());
    }

    /** Switches draining on or off for {@code client}, with the line of the change when it changed anything. */
    static void switchDrain(DrainSwitch drain, boolean on, String client) {
        if (drain.drain(on)) {
            changed(on ? "draining on" : "draining off", client);
        }
    }

    /** Reloads the TLS certificate for {@code client}: one change line, whatever the outcome. */
    static TlsReload reload(ServerMonitor monitor, String client) {
        // Reading two small files: the admin listener's own event loop may wait for that.
        TlsReload r = monitor.tls().reload();
        LOG.atInfo().setMessage("admin change").addKeyValue("what", "TLS certificate reload")
                .addKeyValue("result", r.toString()).addKeyValue("client", client).log();
        return r;
    }

    /** The one INFO line of a change made through the admin listener. */
    static void changed(String change, String client) {
        LOG.atInfo().setMessage("admin change").addKeyValue("what", change).addKeyValue("client", client).log();
    }

    private static AdminResponse error(HttpResponseStatus status, String message) {
        return AdminResponse.json(status, ApiJson.error(status.code(), message));
    }

    private static AdminResponse notAllowed(String allow) {
        return new AdminResponse(HttpResponseStatus.METHOD_NOT_ALLOWED, AdminResponse.JSON,
                ApiJson.error(405, "method not allowed: " + allow), allow, false);
    }

    private static CompletableFuture<AdminResponse> done(AdminResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}
