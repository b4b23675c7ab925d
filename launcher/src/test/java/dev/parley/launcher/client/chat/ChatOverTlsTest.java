package dev.parley.launcher.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.launcher.client.CommandRun;
import dev.parley.launcher.client.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("parley chat --tls against a server with parley.tls.enabled")
class ChatOverTlsTest {
    private static final String PASSWORD = "test-store-pass";

    @TempDir
    static Path dir;
    static Path truststore;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("server.p12");
        truststore = dir.resolve("trust.p12");
        Path certificate = dir.resolve("server.crt");
        keytool("-genkeypair", "-alias", "parley", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "parley", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        // A truststore without a password (certificates unencrypted, no MAC): what an operator hands to users.
        keytool("-J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE", "-J-Dkeystore.pkcs12.macAlgorithm=NONE",
                "-importcert", "-noprompt", "-alias", "parley", "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", "changeit");
        server = TestServer.start(dir.resolve("spool"), Map.of("parley.tls.enabled", "true",
                "parley.tls.keystore", keystore.toString(), "parley.tls.keystore-password", PASSWORD));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }

    private static CommandRun chat(String typed, String... options) {
        List<String> args = new ArrayList<>(List.of("chat", "--host", "127.0.0.1", "--port",
                Integer.toString(server.port()), "--nick", "cli", "--reconnect-attempts", "1"));
        args.addAll(List.of(options));
        InputStream stdin = new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8));
        return CommandRun.start(commandLine ->
                ((ChatCommand) commandLine.getSubcommands().get("chat").getCommand()).readFrom(stdin),
                args.toArray(String[]::new));
    }

    @Test
    @DisplayName("with --truststore holding the server's certificate: joins, asks, is answered, exits 0")
    void trusted() throws Exception {
        CommandRun run = chat("/join #tls\n/who\n/quit\n", "--tls", "--truststore", truststore.toString());
        assertThat(run.exitCode()).as(run::err).isZero();
        assertThat(run.out()).contains("-!- You joined #tls").contains("-!- #tls (1): cli");
    }

    @Test
    @DisplayName("with --insecure: works, and says on stderr that the server is not authenticated")
    void insecure() throws Exception {
        CommandRun run = chat("/join #tls\n/quit\n", "--tls", "--insecure");
        assertThat(run.exitCode()).as(run::err).isZero();
        assertThat(run.out()).contains("-!- You joined #tls");
    }

    @Test
    @DisplayName("with --tls but no trust for a self-signed certificate: one clear line and exit 1")
    void untrusted() throws Exception {
        CommandRun run = chat("/quit\n", "--tls");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("parley: ").doesNotContain("\tat ").contains("--truststore");
        assertThat(run.err().strip().lines()).as("lines on stderr").hasSize(1);
    }

    @Test
    @DisplayName("without --tls a TLS server sends no readable HELLO: exit 1")
    void plain() throws Exception {
        CommandRun run = chat("/quit\n", "--connect-timeout", "2");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("parley: ");
    }

    @Test
    @DisplayName("a truststore that needs a password it was not given: exit 2, naming the file and the remedy")
    void truststoreNeedsPassword() throws Exception {
        Path locked = dir.resolve("locked.p12");
        keytool("-importcert", "-noprompt", "-alias", "parley", "-file", dir.resolve("server.crt").toString(),
                "-storetype", "PKCS12", "-keystore", locked.toString(), "-storepass", "changeit");
        CommandRun run = chat("/quit\n", "--tls", "--truststore", locked.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(locked.toString()).contains("give its password");
    }

    @Test
    @DisplayName("--insecure without --tls, or together with --truststore, is refused (exit 2)")
    void contradictions() throws Exception {
        assertThat(chat("", "--insecure").exitCode()).isEqualTo(2);
        CommandRun both = chat("", "--tls", "--insecure", "--truststore", truststore.toString());
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("contradict");
    }
}
