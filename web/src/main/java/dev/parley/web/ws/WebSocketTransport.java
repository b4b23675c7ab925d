package dev.parley.web.ws;

import dev.parley.core.net.ConnectionHandler;
import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.web.WebSettings;
import dev.parley.web.http.ClientAddresses;
import dev.parley.web.http.OriginPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket transport at {@code /ws}: checks the Origin of each upgrade, decides the client's address
 * (trusted proxies), admits connections within the same limits as TCP (server-wide and per address; counted
 * apart from TCP's) and hands them to core.
 */
public final class WebSocketTransport implements WebSocketCreator {
    private static final Logger log = LoggerFactory.getLogger(WebSocketTransport.class);

    private final WebSettings settings;
    private final ConnectionHandler core;
    private final ClientAddresses addresses;
    private final OriginPolicy origins;
    private final ScheduledExecutorService timer;
    private volatile TransportMetrics metrics = TransportMetrics.NONE;
    private final AtomicInteger admitted = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final byte[] serverFullBye;
    private final byte[] perAddressBye;
    private static final byte[] SHUTDOWN_BYE = FrameWriter.encode(ByeReason.SHUTDOWN.frame(
            "the server is shutting down"));
    private volatile boolean refusing;

    public WebSocketTransport(WebSettings settings, ConnectionHandler core, ClientAddresses addresses,
                              OriginPolicy origins, ScheduledExecutorService timer) {
        this.settings = settings;
        this.core = core;
        this.addresses = addresses;
        this.origins = origins;
        this.timer = timer;
        this.serverFullBye = FrameWriter.encode(ByeReason.SERVER_FULL.frame("the server is serving its maximum of "
                + settings.maxConnections() + " WebSocket connections; try again later"));
        this.perAddressBye = FrameWriter.encode(ByeReason.TOO_MANY_CONNECTIONS.frame("your address has "
                + settings.maxConnectionsPerAddress() + " connections open already, the most the server allows"));
    }

    public void metrics(TransportMetrics metrics) {
        this.metrics = metrics;
    }

    /** From now on new WebSockets read BYE SHUTDOWN instead of HELLO (the server is stopping). */
    public void refuseNew() {
        refusing = true;
    }

    /** WebSocket connections admitted and not yet closed. */
    public int connectionCount() {
        return admitted.get();
    }

    @Override
    public Object createWebSocket(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (!origins.allows(origin, host)) {
            log.info("refusing a WebSocket from {}: origin {} is not allowed", Request.getRemoteAddr(request), origin);
            Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403,
                    "this origin may not open a WebSocket here (parley.http.allowed-origins)");
            return null;
        }
        SocketAddress client = addresses.clientOf(request.getConnectionMetaData().getRemoteSocketAddress(),
                request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR));
        return new WebSocketConnection(this, client);
    }

    // ---- for connections ----

    /** @return null when admitted, else the BYE to send before closing */
    byte[] admit(WebSocketConnection connection) {
        if (refusing) {
            return SHUTDOWN_BYE;
        }
        if (admitted.incrementAndGet() > settings.maxConnections()) {
            admitted.decrementAndGet();
            return serverFullBye;
        }
        if (!admitAddress(addressOf(connection.remoteAddress()))) {
            admitted.decrementAndGet();
            return perAddressBye;
        }
        connection.admitted = true;
        return null;
    }

    /** The connection ended; frees its slots (once, and only if it was admitted). */
    void release(WebSocketConnection connection) {
        if (connection.admitted) {
            connection.admitted = false;
            admitted.decrementAndGet();
            InetAddress address = addressOf(connection.remoteAddress());
            if (address != null && settings.maxConnectionsPerAddress() > 0) {
                perAddress.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
            }
        }
    }

    ConnectionHandler core() {
        return core;
    }

    WebSettings settings() {
        return settings;
    }

    TransportMetrics metrics() {
        return metrics;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    private boolean admitAddress(InetAddress address) {
        int limit = settings.maxConnectionsPerAddress();
        if (limit == 0 || address == null) {
            return true;
        }
        boolean[] ok = {false};
        perAddress.compute(address, (a, count) -> {
            int n = count == null ? 0 : count;
            ok[0] = n < limit;
            return ok[0] ? n + 1 : count;
        });
        return ok[0];
    }

    private static InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
