package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.parley.core.protocol.Frame;
import dev.parley.core.server.CoreSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("TLS (parley.tls.*)")
@Timeout(60)
class TlsTest {
    private static final String STORE_PASSWORD = "s3cret-pw";
    private static final String TRUST_PASSWORD = "trust-pw";

    @TempDir
    static Path dir;
    static Path keystore;
    static Path truststore;
    static TestServer server;

    /** Runs the running JDK's keytool, as an operator would (see docs/operations.md). */
    static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool " + String.join(" ", args) + ": " + output).isZero();
    }

    /** A self-signed server keystore for localhost/127.0.0.1, and a truststore holding its certificate. */
    static void createStores() throws IOException, InterruptedException {
        keystore = dir.resolve("server.p12");
        truststore = dir.resolve("trust.p12");
        Path certificate = dir.resolve("server.crt");
        keytool("-genkeypair", "-alias", "parley", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "parley", "-keystore", keystore.toString(),
                "-storepass", STORE_PASSWORD, "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "parley", "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", TRUST_PASSWORD);
    }

    static Config tlsConfig(String keystorePath, String password) {
        return ConfigFactory.empty()
                .withValue("parley.tls.enabled", ConfigValueFactory.fromAnyRef(true))
                .withValue("parley.tls.keystore", ConfigValueFactory.fromAnyRef(keystorePath))
                .withValue("parley.tls.keystore-password", ConfigValueFactory.fromAnyRef(password))
                .withValue("parley.server.port", ConfigValueFactory.fromAnyRef(0))
                .withFallback(ConfigFactory.load());
    }

    @BeforeAll
    static void start() throws Exception {
        createStores();
        TransportSettings settings = TransportSettings.from(tlsConfig(keystore.toString(), STORE_PASSWORD));
        assertThat(settings.toString()).contains("tls=true").doesNotContain(STORE_PASSWORD);
        server = TestServer.start(new CoreSettings("parley", 2, 64), settings);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static MinaClient connect(RecordingListener listener, ClientTls tls) throws IOException {
        return MinaClient.connect("localhost", server.address.getPort(), Duration.ofSeconds(5), listener, tls);
    }

    @Nested
    @DisplayName("a TLS client")
    class Clients {

        @Test
        @DisplayName("over a JDK SSLSocket reads HELLO, and HELP is answered inside TLS 1.2+")
        void sslSocket() throws Exception {
            SSLSocket socket = (SSLSocket) ClientTls.truststore(truststore, TRUST_PASSWORD.toCharArray()).context()
                    .getSocketFactory().createSocket("localhost", server.address.getPort());
            try (LineClient c = new LineClient(socket)) {
                assertThat(c.readLine()).startsWith("HELLO parley 1 test");
                assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
                c.send("HELP\n");
                String line;
                while ((line = c.readLine()).startsWith("COMMAND ")) {
                    // the command list
                }
                assertThat(line).matches("OK HELP \\d+");
            }
        }

        @Test
        @DisplayName("MinaClient with the server's certificate in a truststore talks the protocol")
        void minaClientTruststore() throws Exception {
            RecordingListener listener = new RecordingListener();
            try (MinaClient client = connect(listener, ClientTls.truststore(truststore, TRUST_PASSWORD.toCharArray()))) {
                assertThat(listener.next().verb()).isEqualTo("HELLO");
                client.send(Frame.of("ECHO").param("secure").build());
                assertThat(listener.next()).isEqualTo(Frame.of("OK").params("ECHO", "secure").build());
            }
        }

        @Test
        @DisplayName("MinaClient.insecure() accepts the self-signed certificate (only when asked)")
        void minaClientInsecure() throws Exception {
            RecordingListener listener = new RecordingListener();
            try (MinaClient client = connect(listener, ClientTls.insecure())) {
                assertThat(listener.next().verb()).isEqualTo("HELLO");
                client.send(Frame.of("HELP").build());
                Frame f;
                while ((f = listener.next()).verb().equals("COMMAND")) {
                    // the command list
                }
                assertThat(f.verb()).isEqualTo("OK");
            }
        }

        @Test
        @DisplayName("MinaClient trusting only the JDK's authorities refuses a self-signed server: no HELLO")
        void untrusted() throws Exception {
            RecordingListener listener = new RecordingListener();
            MinaClient client = connect(listener, ClientTls.systemTrust());
            Optional<Throwable> cause = listener.awaitDisconnected();
            assertThat(listener.frames).isEmpty();
            assertThat(cause).get().satisfies(t -> assertThat(t).isInstanceOf(SSLException.class));
            client.close();
        }

        @Test
        @DisplayName("a certificate for another host name is refused when the host is verified")
        void wrongHostName() throws Exception {
            RecordingListener listener = new RecordingListener();
            // The certificate names localhost and 127.0.0.1, not 127.0.0.2 (still this machine's loopback).
            TransportSettings settings = TransportSettings.from(tlsConfig(keystore.toString(), STORE_PASSWORD));
            settings = new TransportSettings("127.0.0.2", 0, 10, 0, 4096, 1024, 1 << 20, 1, Duration.ZERO,
                    TransportSettings.DEFAULT_SLOW_CONSUMER_TIMEOUT, 64L << 20, settings.tls());
            try (TestServer other = TestServer.start(new CoreSettings("parley", 1, 8), settings)) {
                MinaClient client = MinaClient.connect("127.0.0.2", other.address.getPort(), Duration.ofSeconds(5),
                        listener, ClientTls.truststore(truststore, TRUST_PASSWORD.toCharArray()));
                assertThat(listener.awaitDisconnected()).get().isInstanceOf(SSLException.class);
                assertThat(listener.frames).isEmpty();
                client.close();
            }
        }
    }

    @Test
    @DisplayName("a plain client never reads HELLO in clear text and is closed")
    void plainClient() throws Exception {
        try (LineClient c = server.connect()) {
            c.send("HELP\n");
            byte[] received = c.readToEnd();
            assertThat(new String(received, StandardCharsets.ISO_8859_1)).doesNotContain("HELLO").doesNotContain("OK HELP");
        }
    }

    @Nested
    @DisplayName("start-up errors name the key to fix")
    class Errors {

        @Test
        @DisplayName("a missing keystore: parley.tls.keystore")
        void missingKeystore() {
            Path missing = dir.resolve("nope.p12");
            assertThatThrownBy(() -> TransportSettings.from(tlsConfig(missing.toString(), STORE_PASSWORD)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("parley.tls.keystore: ")
                    .hasMessageContaining("does not exist");
        }

        @Test
        @DisplayName("a wrong password: parley.tls.keystore-password, and the password is not in the message")
        void wrongPassword() {
            assertThatThrownBy(() -> TransportSettings.from(tlsConfig(keystore.toString(), "not-the-password")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("parley.tls.keystore-password: wrong password")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-password"));
        }

        @Test
        @DisplayName("a file that is not PKCS12: parley.tls.keystore")
        void notAKeystore() throws IOException {
            Path junk = Files.writeString(dir.resolve("junk.p12"), "not a keystore");
            assertThatThrownBy(() -> TransportSettings.from(tlsConfig(junk.toString(), STORE_PASSWORD)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("parley.tls.keystore");
        }

        @Test
        @DisplayName("enabled without a keystore: parley.tls.keystore")
        void noKeystore() {
            assertThatThrownBy(() -> TransportSettings.from(tlsConfig("", "")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("parley.tls.keystore must name");
        }

        @Test
        @DisplayName("a truststore with a wrong password is refused by ClientTls.truststore")
        void clientTruststorePassword() {
            assertThatThrownBy(() -> ClientTls.truststore(truststore, "wrong".toCharArray()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("wrong password");
        }
    }
}
