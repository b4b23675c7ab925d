package dev.parley.store.jdbc;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A {@code parley.store.url} this module opens: which database, the URL to give its driver, and the same URL
 * fit to print (without credentials).
 *
 * @param dialect  SQLite or PostgreSQL
 * @param jdbcUrl  the URL for the driver, a SQLite path made absolute
 * @param sqlite   the database file for SQLite, null for PostgreSQL
 */
public record StoreUrl(Dialect dialect, String jdbcUrl, Path sqlite) {

    private static final String SQLITE = "jdbc:sqlite:";
    private static final String POSTGRESQL = "jdbc:postgresql:";
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)([?&;](?:password|sslpassword|sslkey)=)[^&;#]*");
    private static final Pattern USER_INFO = Pattern.compile("//[^/@?]*@");

    /** True for the URLs this module opens. */
    public static boolean accepts(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith(SQLITE) || lower.startsWith(POSTGRESQL);
    }

    /**
     * Parses a URL; a relative SQLite path resolves against {@code home}.
     *
     * @throws IllegalArgumentException naming parley.store.url for a URL this module cannot open
     */
    public static StoreUrl parse(String url, Path home) {
        if (url.regionMatches(true, 0, POSTGRESQL, 0, POSTGRESQL.length())) {
            return new StoreUrl(Dialect.POSTGRESQL, url, null);
        }
        if (!url.regionMatches(true, 0, SQLITE, 0, SQLITE.length())) {
            throw new IllegalArgumentException("parley.store.url: not a jdbc:sqlite: or jdbc:postgresql: URL: "
                    + redact(url));
        }
        String rest = url.substring(SQLITE.length());
        int query = rest.indexOf('?');
        String file = query < 0 ? rest : rest.substring(0, query);
        String parameters = query < 0 ? "" : rest.substring(query);
        if (file.isEmpty() || file.startsWith(":") || file.startsWith("file:")) {
            throw new IllegalArgumentException("parley.store.url: a SQLite store is a file path, as in"
                    + " jdbc:sqlite:data/parley.db (use memory: for a store that is not kept): " + redact(url));
        }
        Path path = home.resolve(file).toAbsolutePath().normalize();
        return new StoreUrl(Dialect.SQLITE, SQLITE + path + parameters, path);
    }

    /** The URL fit for logs and messages: passwords and user info replaced by {@code ***}. */
    public String display() {
        return redact(jdbcUrl);
    }

    /** Any JDBC URL with its passwords and user info replaced by {@code ***}. */
    public static String redact(String url) {
        String withoutParameters = SECRET_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(withoutParameters).replaceAll("//***@");
    }
}
