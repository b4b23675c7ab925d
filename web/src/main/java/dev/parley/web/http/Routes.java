package dev.parley.web.http;

import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.Accounts;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.web.WebMetrics;
import dev.parley.web.admin.AdminApi;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Every plain HTTP route: {@code /healthz}, {@code /readyz}, {@code /metrics}, {@code /api/v1/stats},
 * {@code /client.json} (what the browser client may offer), the admin
 * API under {@code /api/v1/} and the browser client's files at {@code /}. The client is a fixed set of files
 * read from this module, so no request path ever reaches the file system.
 */
public final class Routes extends Handler.Abstract {
    /** The browser client: request path to resource and content type. */
    private static final Map<String, String[]> CLIENT = Map.of(
            "/", new String[] {"client/index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"client/index.html", "text/html; charset=utf-8"},
            "/app.js", new String[] {"client/app.js", "text/javascript; charset=utf-8"},
            "/style.css", new String[] {"client/style.css", "text/css; charset=utf-8"});
    /** The client's pages allow nothing from elsewhere: no CDN, no inline script, no frames. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self' ws: wss:;"
            + " img-src 'self' blob: data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'";

    private final ServerCore core;
    private final WebMetrics metrics;
    private final AdminApi admin;
    private final BooleanSupplier accepting;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    public Routes(ServerCore core, WebMetrics metrics, AdminApi admin, BooleanSupplier accepting) {
        this.core = core;
        this.metrics = metrics;
        this.admin = admin;
        this.accepting = accepting;
    }

    /** The server's directory of names and rooms, when the chat plugin runs. */
    public static Optional<Directory> directory(ServerCore core) {
        return core.lookup(Directory.class);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        switch (path) {
            case "/healthz" -> text(response, callback, HttpStatus.OK_200, "ok\n");
            case "/readyz" -> ready(response, callback);
            case "/metrics" -> {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                write(response, callback, HttpStatus.OK_200, metrics.scrape());
            }
            case "/api/v1/stats" -> json(response, callback, HttpStatus.OK_200, stats());
            case "/client.json" -> json(response, callback, HttpStatus.OK_200, clientSettings());
            default -> {
                if (path.startsWith("/api/v1/")) {
                    admin.handle(request, response, callback, path.substring("/api/v1/".length()));
                } else if (CLIENT.containsKey(path) && (HttpMethod.GET.is(request.getMethod())
                        || HttpMethod.HEAD.is(request.getMethod()))) {
                    clientFile(response, callback, CLIENT.get(path));
                } else {
                    text(response, callback, HttpStatus.NOT_FOUND_404, "not found\n");
                }
            }
        }
        return true;
    }

    private void ready(Response response, Callback callback) {
        Optional<MessageStore> store = core.lookup(MessageStore.class);
        if (!accepting.getAsBoolean()) {
            text(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "not accepting connections\n");
        } else if (store.isPresent() && !metrics.timeStoreProbe(() -> available(store.get()))) {
            text(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "message store unavailable\n");
        } else {
            text(response, callback, HttpStatus.OK_200, "ready\n");
        }
    }

    private static boolean available(MessageStore store) {
        try {
            return store.isAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** What the browser client offers besides the protocol itself: account creation where anyone may create one. */
    private Map<String, Object> clientSettings() {
        return Map.of("selfRegistration", core.lookup(Accounts.class).map(Accounts::selfRegistration).orElse(false));
    }

    private Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("connections", Map.of("tcp", (long) metrics.value("parley.connections", "transport", "tcp"),
                "websocket", (long) metrics.value("parley.connections", "transport", "websocket")));
        stats.put("sessions", core.count());
        stats.put("rooms", directory(core).map(d -> d.rooms().size()).orElse(0));
        stats.put("commands", metrics.commandCount());
        stats.put("bytesReceived", Map.of("tcp", (long) metrics.value("parley.bytes.received", "transport", "tcp"),
                "websocket", (long) metrics.value("parley.bytes.received", "transport", "websocket")));
        // TCP's sent bytes are not counted (see docs/operations.md): only the WebSocket figure is given.
        stats.put("bytesSent", Map.of("websocket", (long) metrics.value("parley.bytes.sent", "transport", "websocket")));
        stats.put("slowConsumerDisconnects", (long) metrics.value("parley.slow.consumer.disconnects"));
        stats.put("uptimeSeconds", (long) metrics.value("process.uptime"));
        stats.put("plugins", core.pluginNames());
        return stats;
    }

    private void clientFile(Response response, Callback callback, String[] file) throws IOException {
        byte[] bytes = files.get(file[0]);
        if (bytes == null) {
            try (InputStream in = Routes.class.getModule().getResourceAsStream("dev/parley/web/" + file[0])) {
                if (in == null) {
                    text(response, callback, HttpStatus.NOT_FOUND_404, "not found\n");
                    return;
                }
                bytes = in.readAllBytes();
            }
            files.put(file[0], bytes);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, file[1]);
        response.getHeaders().put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.setStatus(HttpStatus.OK_200);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    static void text(Response response, Callback callback, int status, String body) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        write(response, callback, status, body);
    }

    public static void json(Response response, Callback callback, int status, Object body) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        write(response, callback, status, Json.write(body) + "\n");
    }

    private static void write(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

}
