package dev.parley.transport.mina;

import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How a {@link MinaClient} speaks TLS to a server started with {@code parley.tls.enabled = true}.
 *
 * <p>Pick one factory: {@link #systemTrust()} for a certificate from a public authority,
 * {@link #truststore(Path, char[])} for a self-signed or private one, {@link #insecure()} only when the
 * user asked for it explicitly (a {@code --insecure} flag): it encrypts but does not check who answers.
 *
 * @param context        where the trusted certificates come from
 * @param verifyHostname whether the server's certificate must name the host the client connects to
 */
public record ClientTls(SSLContext context, boolean verifyHostname) {

    public ClientTls {
        Objects.requireNonNull(context, "context");
    }

    /** Trusts the JDK's certificate authorities; checks the host name. */
    public static ClientTls systemTrust() {
        return new ClientTls(TlsContexts.systemDefault(), true);
    }

    /**
     * Trusts the certificates in a PKCS12 truststore (e.g. the server's exported certificate); checks the
     * host name.
     *
     * @param password the truststore's password, or null when it has none
     * @throws IllegalArgumentException when the file is missing, unreadable, or the password is wrong
     */
    public static ClientTls truststore(Path pkcs12, char[] password) {
        return new ClientTls(TlsContexts.trusting(pkcs12, password), true);
    }

    /** Accepts any certificate and any host name: encrypted, not authenticated. Only when explicitly asked. */
    public static ClientTls insecure() {
        return new ClientTls(TlsContexts.trustingAnything(), false);
    }
}
