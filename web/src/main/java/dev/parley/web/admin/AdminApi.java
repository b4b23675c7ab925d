package dev.parley.web.admin;

import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.Frame;
import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.Accounts;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.RoomBans;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.store.AccountStore.Ban;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.web.WebMetrics;
import dev.parley.web.WebSettings;
import dev.parley.web.http.ClientAddresses;
import dev.parley.web.http.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' API under {@code /api/v1/}: sessions (list, kick), rooms (list, one room's members and topic,
 * its bans when a plugin moderates rooms) and announce. Every request needs an operator: a bearer token equal to {@code parley.http.admin-token}, or
 * HTTP Basic with an operator account of the auth plugin, accepted only over TLS or from loopback so the
 * password never crosses a network in clear. 401 without (valid) credentials, 403 for a valid non-operator.
 * Bodies are plain text (the announce text, the kick reason), at most {@value #MAX_BODY_BYTES} bytes. Repeated
 * failed logins from one address are answered 429 for a while ({@link LoginFailures}).
 */
public final class AdminApi {
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    static final ByeReason KICKED = new ByeReason("KICKED");
    private static final int MAX_BODY_BYTES = 16 * 1024;
    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("([1-9][0-9]{0,8})([smhd])");
    private static final String CHALLENGE = "Basic realm=\"parley\", Bearer realm=\"parley\"";

    private final ServerCore core;
    private final WebSettings settings;
    private final byte[] token;
    private final LoginFailures failures = new LoginFailures();
    private final ClientAddresses addresses;

    public AdminApi(ServerCore core, WebSettings settings, WebMetrics metrics) {
        this.core = core;
        this.settings = settings;
        this.token = settings.adminToken().getBytes(StandardCharsets.UTF_8);
        this.addresses = new ClientAddresses(settings.trustedProxies());
    }

    /** Handles {@code /api/v1/<rest>} (other than stats). */
    public void handle(Request request, Response response, Callback callback, String rest) throws IOException {
        InetAddress client = clientAddress(request);
        if (!failures.allowed(client, System.nanoTime())) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(LoginFailures.WINDOW.toSeconds()));
            Routes.json(response, callback, HttpStatus.TOO_MANY_REQUESTS_429, error("TOO_MANY_ATTEMPTS",
                    LoginFailures.MAX_FAILURES + " failed logins from your address; wait and try again"));
            return;
        }
        Optional<String> operator;
        try {
            operator = authenticate(request);
        } catch (NotOperator e) {
            Routes.json(response, callback, HttpStatus.FORBIDDEN_403,
                    error("FORBIDDEN", "account " + e.getMessage() + " is not an operator (parley.auth.operators)"));
            return;
        }
        if (operator.isEmpty()) {
            if (request.getHeaders().get(HttpHeader.AUTHORIZATION) != null) {
                failures.failed(client, System.nanoTime());
            }
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, CHALLENGE);
            Routes.json(response, callback, HttpStatus.UNAUTHORIZED_401, error("UNAUTHORIZED",
                    "send Authorization: Bearer <parley.http.admin-token>, or HTTP Basic as an operator"
                            + " (over TLS or from this machine)"));
            return;
        }
        String method = request.getMethod();
        List<String> parts = segments(rest);
        if (parts.equals(List.of("sessions")) && HttpMethod.GET.is(method)) {
            Routes.json(response, callback, HttpStatus.OK_200, sessions());
        } else if (parts.size() == 3 && parts.get(0).equals("sessions") && parts.get(2).equals("kick")
                && HttpMethod.POST.is(method)) {
            kick(request, response, callback, parts.get(1), operator.get());
        } else if (parts.equals(List.of("rooms")) && HttpMethod.GET.is(method)) {
            Routes.json(response, callback, HttpStatus.OK_200, rooms());
        } else if (parts.size() == 2 && parts.get(0).equals("rooms") && HttpMethod.GET.is(method)) {
            room(response, callback, parts.get(1));
        } else if (parts.size() == 3 && parts.get(0).equals("rooms") && parts.get(2).equals("bans")) {
            bans(request, response, callback, roomName(parts.get(1)), operator.get());
        } else if (parts.equals(List.of("announce")) && HttpMethod.POST.is(method)) {
            announce(request, response, callback, operator.get());
        } else {
            Routes.json(response, callback, HttpStatus.NOT_FOUND_404, error("NOT_FOUND",
                    "no such admin resource; see docs/operations.md, \"Admin API\""));
        }
    }

    /** @return the operator's name, or empty when no valid credentials came; throws for a non-operator */
    private Optional<String> authenticate(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null) {
            return Optional.empty();
        }
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            boolean ok = token.length > 0 && MessageDigest.isEqual(token, given);
            return ok ? Optional.of("admin-token") : Optional.empty();
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6) && confidential(request)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            Optional<Accounts> accounts = core.lookup(Accounts.class);
            if (colon < 0 || accounts.isEmpty()) {
                return Optional.empty();
            }
            Optional<String> account = accounts.get().verify(decoded.substring(0, colon), decoded.substring(colon + 1));
            if (account.isEmpty()) {
                log.info("admin API: failed login from {}", Request.getRemoteAddr(request));
                return Optional.empty();
            }
            if (!accounts.get().isOperatorAccount(account.get())) {
                throw new NotOperator(account.get());
            }
            return account;
        }
        return Optional.empty();
    }

    /** The client's address, through trusted proxies as for WebSockets. */
    private InetAddress clientAddress(Request request) {
        SocketAddress client = addresses.clientOf(request.getConnectionMetaData().getRemoteSocketAddress(),
                request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR));
        return client instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    /** TLS, or a loopback peer: a Basic password never crosses a network in clear. */
    private static boolean confidential(Request request) {
        if (request.isSecure()) {
            return true;
        }
        SocketAddress peer = request.getConnectionMetaData().getRemoteSocketAddress();
        return peer instanceof InetSocketAddress inet && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress();
    }

    private List<Object> sessions() {
        List<Object> list = new ArrayList<>();
        for (Session s : core.all()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", s.id());
            one.put("nick", s.name().orElse(null));
            one.put("account", s.account().orElse(null));
            one.put("address", address(s.remoteAddress()));
            // A session without a connection (waiting for RESUME) reports Long.MAX_VALUE by the SPI's contract.
            long pending = s.pendingBytes();
            one.put("detached", pending == Long.MAX_VALUE);
            one.put("pendingBytes", pending == Long.MAX_VALUE ? null : pending);
            list.add(one);
        }
        return list;
    }

    private void kick(Request request, Response response, Callback callback, String idText, String operator)
            throws IOException {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            Routes.json(response, callback, HttpStatus.BAD_REQUEST_400, error("BAD_ARGUMENT", "a session id is a number"));
            return;
        }
        String reason = body(request);
        if (reason == null) {
            Routes.json(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, error("TOO_LARGE", "body over 16 KiB"));
            return;
        }
        Optional<Session> target = core.all().stream().filter(s -> s.id() == id).findFirst();
        if (target.isEmpty()) {
            Routes.json(response, callback, HttpStatus.NOT_FOUND_404, error("NO_SUCH_SESSION", "no session " + id));
            return;
        }
        String text = reason.isBlank() ? "kicked by an operator" : oneLine(reason);
        log.info("admin API: {} kicked session {}", operator, id);
        target.get().close(KICKED, text);
        Routes.json(response, callback, HttpStatus.OK_200, Map.of("kicked", id));
    }

    private List<Object> rooms() {
        Optional<Directory> directory = Routes.directory(core);
        List<Object> list = new ArrayList<>();
        if (directory.isEmpty()) {
            return list;
        }
        for (String room : directory.get().rooms()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", room);
            one.put("members", directory.get().members(room).map(Collection::size).orElse(0));
            one.put("topic", directory.get().topic(room).orElse(null));
            list.add(one);
        }
        return list;
    }

    private static String roomName(String name) {
        return name.startsWith("#") ? name : "#" + name;
    }

    /**
     * A room's bans: GET lists those in force, POST {@code ?target=&duration=} (body: the reason) bans, DELETE
     * {@code ?target=} lifts, with the effects of BAN and UNBAN (core's {@link RoomBans}, from the chat plugin).
     */
    private void bans(Request request, Response response, Callback callback, String room, String operator)
            throws IOException {
        Optional<RoomBans> bans = core.lookup(RoomBans.class);
        if (bans.isEmpty()) {
            Routes.json(response, callback, HttpStatus.NOT_FOUND_404, error("NOT_AVAILABLE",
                    "no plugin moderates rooms on this server (the chat plugin provides bans)"));
            return;
        }
        Fields query = Request.extractQueryParameters(request);
        String target = query.getValue("target");
        try {
            if (HttpMethod.GET.is(request.getMethod())) {
                Routes.json(response, callback, HttpStatus.OK_200, bans.get().bans(room).stream()
                        .map(AdminApi::ban).toList());
            } else if (HttpMethod.POST.is(request.getMethod()) && target != null) {
                String reason = body(request);
                if (reason == null) {
                    Routes.json(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, error("TOO_LARGE",
                            "body over 16 KiB"));
                    return;
                }
                Duration duration = duration(query.getValue("duration"));
                Ban ban = bans.get().ban(room, target, operator, duration, oneLine(reason));
                log.info("admin API: {} banned {} from {}", operator, ban.target(), room);
                Routes.json(response, callback, HttpStatus.CREATED_201, ban(ban));
            } else if (HttpMethod.DELETE.is(request.getMethod()) && target != null) {
                if (!bans.get().unban(room, target)) {
                    Routes.json(response, callback, HttpStatus.NOT_FOUND_404, error("NOT_BANNED",
                            room + " does not ban " + target));
                    return;
                }
                log.info("admin API: {} lifted the ban on {} in {}", operator, target, room);
                Routes.json(response, callback, HttpStatus.OK_200, Map.of("lifted", target));
            } else {
                Routes.json(response, callback, HttpStatus.BAD_REQUEST_400, error("BAD_ARGUMENT", "GET lists the"
                        + " bans; POST ?target=<target>[&duration=2h] bans (body: reason); DELETE ?target= lifts"));
            }
        } catch (IllegalArgumentException e) {
            Routes.json(response, callback, HttpStatus.BAD_REQUEST_400, error("BAD_ARGUMENT", e.getMessage()));
        } catch (IllegalStateException e) {
            Routes.json(response, callback, HttpStatus.NOT_FOUND_404, error("NOT_AVAILABLE", e.getMessage()));
        } catch (StoreUnavailableException e) {
            Routes.json(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, error("STORE_UNAVAILABLE",
                    "the store cannot keep bans right now; try again later"));
        }
    }

    /** {@code 90s}, {@code 30m}, {@code 2h}, {@code 7d} as BAN takes them; none is until lifted. */
    private static Duration duration(String text) {
        if (text == null || text.isEmpty()) {
            return Duration.ZERO;
        }
        java.util.regex.Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("a duration is a number and s, m, h or d, e.g. 90s, 30m, 2h, 7d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static Map<String, Object> ban(Ban ban) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("target", ban.target());
        one.put("by", ban.by());
        one.put("expires", ban.expires() == null ? null : ban.expires().toString());
        one.put("reason", ban.reason());
        return one;
    }

    private void room(Response response, Callback callback, String name) {
        String room = roomName(name);
        Optional<Directory> directory = Routes.directory(core);
        Optional<Collection<Session>> members = directory.flatMap(d -> d.members(room));
        if (members.isEmpty()) {
            Routes.json(response, callback, HttpStatus.NOT_FOUND_404, error("NO_SUCH_ROOM", "no room " + room));
            return;
        }
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("name", room);
        one.put("topic", directory.get().topic(room).orElse(null));
        one.put("members", members.get().stream().map(s -> s.name().orElse("")).toList());
        Routes.json(response, callback, HttpStatus.OK_200, one);
    }

    private void announce(Request request, Response response, Callback callback, String operator) throws IOException {
        String text = body(request);
        if (text == null) {
            Routes.json(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, error("TOO_LARGE", "body over 16 KiB"));
            return;
        }
        if (text.isBlank()) {
            Routes.json(response, callback, HttpStatus.BAD_REQUEST_400, error("BAD_ARGUMENT",
                    "the request body is the announcement's text"));
            return;
        }
        Frame notice = Frame.of("NOTICE").param("server").trailing(oneLine(text)).build();
        Collection<Session> all = core.all();
        core.send(all, notice);
        log.info("admin API: {} announced to {} sessions", operator, all.size());
        Routes.json(response, callback, HttpStatus.OK_200, Map.of("sessions", all.size()));
    }

    /** The body as text, or null when over the limit. */
    private static String body(Request request) throws IOException {
        try (InputStream in = Request.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            return bytes.length > MAX_BODY_BYTES ? null : new String(bytes, StandardCharsets.UTF_8).strip();
        }
    }

    /** Controls and line breaks out: the text becomes a protocol trailing parameter. */
    private static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7F ? ' ' : c));
        return out.toString().strip();
    }

    private static List<String> segments(String rest) {
        List<String> parts = new ArrayList<>();
        for (String part : rest.split("/")) {
            if (!part.isEmpty()) {
                // Jetty leaves the path encoded: /rooms/%23lobby names #lobby.
                parts.add(org.eclipse.jetty.util.URIUtil.decodePath(part));
            }
        }
        return parts;
    }

    private static String address(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(address);
    }

    private static Map<String, Object> error(String code, String text) {
        return Map.of("error", code, "message", text);
    }

    private static final class NotOperator extends RuntimeException {
        NotOperator(String account) {
            super(account, null, false, false);
        }
    }
}
