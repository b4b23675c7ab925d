package dev.parley.transport.mina;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Builds the {@link SSLContext}s of the server and of {@link MinaClient} from PKCS12 files. */
final class TlsContexts {
    /** What the server and client speak: nothing older than TLS 1.2. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {
    }

    /**
     * The server's context from a PKCS12 keystore holding its key and certificate chain. Errors name the
     * configuration key to fix; the password never appears in them.
     *
     * @throws IllegalArgumentException when the file is missing or unreadable, the password is wrong, or the
     *                                  keystore holds no private key
     */
    static SSLContext server(Path keystore, char[] password) {
        KeyStore store = load(keystore, password, "parley.tls.keystore", "parley.tls.keystore-password");
        try {
            boolean hasKey = false;
            for (String alias : Collections.list(store.aliases())) {
                hasKey |= store.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw new IllegalArgumentException("parley.tls.keystore: " + keystore
                        + " holds no private key; create one with keytool -genkeypair (see docs/operations.md)");
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException("parley.tls.keystore-password: the key in " + keystore
                    + " has another password than the keystore; give both the same one", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("parley.tls.keystore: cannot use " + keystore + ": " + e.getMessage(), e);
        }
    }

    /** A client context trusting the certificates of a PKCS12 truststore (and nothing else). */
    static SSLContext trusting(Path truststore, char[] password) {
        KeyStore store = load(truststore, password, "truststore", "truststore password");
        try {
            // PKCS12 encrypts certificates with the store password: read without it, the store looks empty,
            // and the handshake would fail later with an error that names nothing the user can fix.
            boolean anyCertificate = false;
            for (java.util.Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
                anyCertificate |= store.getCertificate(aliases.nextElement()) != null;
            }
            if (!anyCertificate) {
                throw new IllegalArgumentException("truststore " + truststore + " holds no certificate readable "
                        + (password == null ? "without a password; give its password" : "with that password"));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("truststore: cannot use " + truststore + ": " + e.getMessage(), e);
        }
    }

    /** A client context trusting the JDK's default certificate authorities. */
    static SSLContext systemDefault() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS", e);
        }
    }

    /** A client context that accepts any certificate: encryption without authentication, for tests. */
    static SSLContext trustingAnything() {
        TrustManager anything = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {anything}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS", e);
        }
    }

    private static KeyStore load(Path file, char[] password, String fileKey, String passwordKey) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(fileKey + ": " + file + " does not exist", e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || isPasswordError(e)) {
                throw new IllegalArgumentException(passwordKey + ": wrong password for " + file, e);
            }
            throw new IllegalArgumentException(fileKey + ": cannot read " + file + " as PKCS12: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(fileKey + ": cannot read " + file + " as PKCS12: " + e.getMessage(), e);
        }
    }

    private static boolean isPasswordError(IOException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return message.contains("password") || message.contains("mac");
    }
}
