package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testkit.ParleyTestKit;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("With parley.tls.enabled the HTTP server speaks HTTPS and wss with the same keystore")
class HttpsTest {
    private static final String PASSWORD = "changeit-web";
    @TempDir
    static Path dir;
    private static WebTestServer server;
    private static SSLContext trusting;

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Path certificate = dir.resolve("server.crt");
        Path truststore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "parley", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "parley", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "parley", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", PASSWORD);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            trust.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, factory.getTrustManagers(), null);
        server = WebTestServer.start(Map.of("parley.tls.enabled", true, "parley.tls.keystore", keystore.toString(),
                "parley.tls.keystore-password", PASSWORD), ParleyTestKit.findPlugin("chat"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("https:// serves /healthz; wss:// speaks the protocol")
    void httpsAndWss() throws Exception {
        assertThat(server.url.getScheme()).isEqualTo("https");
        HttpClient http = HttpClient.newBuilder().sslContext(trusting).build();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(server.url.resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        try (WsClient ws = WsClient.connect(server.ws(), server.origin(), trusting)) {
            assertThat(server.ws().getScheme()).isEqualTo("wss");
            assertThat(ws.next()).startsWith("HELLO ");
            ws.send("NICK secure");
            assertThat(ws.awaitStart("OK NICK")).startsWith("OK NICK secure");
        }
    }
}
