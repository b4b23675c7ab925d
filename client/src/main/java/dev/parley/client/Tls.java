package dev.parley.client;

import dev.parley.transport.mina.ClientTls;
import java.nio.file.Path;

/**
 * Whether and how a client speaks TLS, without leaking the transport's types out of this package.
 * {@link #none()} is plain TCP.
 */
public final class Tls {
    private static final Tls NONE = new Tls(null);

    private final ClientTls clientTls;

    private Tls(ClientTls clientTls) {
        this.clientTls = clientTls;
    }

    /** Plain TCP. */
    public static Tls none() {
        return NONE;
    }

    /** TLS trusting the JDK's certificate authorities; the host name is checked. */
    public static Tls systemTrust() {
        return new Tls(ClientTls.systemTrust());
    }

    /**
     * TLS trusting the certificates of a PKCS12 truststore; the host name is checked.
     *
     * @param password null when the truststore has none
     * @throws IllegalArgumentException when the file is missing or unreadable, or the password is wrong
     */
    public static Tls truststore(Path pkcs12, char[] password) {
        return new Tls(ClientTls.truststore(pkcs12, password));
    }

    /** TLS that trusts any certificate and host: encrypted, not authenticated. Only on explicit request. */
    public static Tls insecure() {
        return new Tls(ClientTls.insecure());
    }

    public boolean enabled() {
        return clientTls != null;
    }

    /** For this package's connections; null for plain TCP. */
    ClientTls clientTls() {
        return clientTls;
    }
}
