package dev.parley.web.http;

import java.util.List;
import java.util.Locale;

/**
 * Which pages may open a WebSocket: refuses cross-site WebSocket hijacking, where a page of another site
 * opens a socket with the visitor's browser. Browsers always send {@code Origin} on a WebSocket upgrade;
 * other clients (the CLI, bots) send none and are let in, since they carry no ambient credentials of a visitor.
 */
public final class OriginPolicy {
    private final List<String> allowed;

    /** @param allowed origins as configured ({@code https://chat.example.org}); empty: only the server's own */
    public OriginPolicy(List<String> allowed) {
        this.allowed = allowed.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * @param origin the request's Origin header, or null
     * @param host   the request's Host header, or null: the server's own origin is the one with that authority
     */
    public boolean allows(String origin, String host) {
        if (origin == null) {
            return true;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (allowed.contains("*") || allowed.contains(o)) {
            return true;
        }
        if (!allowed.isEmpty() || host == null) {
            return false;
        }
        // Same authority as the Host the browser connected to; the scheme may differ behind a TLS proxy.
        int sep = o.indexOf("://");
        return sep > 0 && (o.startsWith("http://") || o.startsWith("https://"))
                && o.substring(sep + 3).equals(host.trim().toLowerCase(Locale.ROOT));
    }
}
