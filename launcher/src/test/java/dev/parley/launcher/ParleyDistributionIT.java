package dev.parley.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged distribution ({@code target/parley/bin/parley}) as a real process: the only test that
 * sees the module graph of {@code java -p lib -m ...}, without surefire's added reads and opens.
 */
class ParleyDistributionIT {
    private static final Path DIST = Path.of(System.getProperty("parley.dist", "target/parley")).toAbsolutePath();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final List<ParleyProcess> started = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void cleanUp() throws IOException {
        for (Client client : clients) {
            client.close();
        }
        started.forEach(parley -> parley.process.destroyForcibly());
    }

    @Nested
    @DisplayName("parley server")
    class Server {
        @Test
        @DisplayName("answers HELP and unknown verbs, and on SIGTERM says BYE SHUTDOWN and exits 0")
        void servesAndStopsGracefully() throws Exception {
            ParleyProcess parley = start(DIST, "", "server", "--port", "0");
            Matcher listening = parley.awaitListening();
            assertThat(listening.group(1)).isEqualTo("127.0.0.1");
            assertThat(listening.group(3)).isEqualTo("[chat, filetransfer, heartbeat]");

            Client client = connect(Integer.parseInt(listening.group(2)));
            assertThat(client.readLine()).startsWith("HELLO parley 1 ").endsWith(":chat filetransfer heartbeat");
            client.send("HELP");
            String line;
            do {
                line = client.readLine();
            } while (line.startsWith("COMMAND "));
            assertThat(line).startsWith("OK HELP");
            client.send("FROBNICATE");
            assertThat(client.readLine()).startsWith("ERR FROBNICATE UNKNOWN_COMMAND");

            // SIGTERM, as Process.destroy() sends, but without closing our end of the process's output.
            parley.process.toHandle().destroy();
            assertThat(client.readLine()).startsWith("BYE SHUTDOWN");
            assertThat(parley.awaitExit()).isZero();
            assertThat(parley.finalOutput()).contains("SIGTERM received; shutting down").contains("Parley stopped");
        }

        @Test
        @DisplayName("-Dparley.plugins=[] in JAVA_OPTS runs the core commands only")
        void noPlugins() throws Exception {
            ParleyProcess parley = start(DIST, "-Dparley.plugins=[]", "server", "--port", "0");
            Matcher listening = parley.awaitListening();
            assertThat(listening.group(3)).isEqualTo("[]");
            Client client = connect(Integer.parseInt(listening.group(2)));
            assertThat(client.readLine()).startsWith("HELLO ");
            client.send("NICK alice");
            assertThat(client.readLine()).startsWith("ERR NICK UNKNOWN_COMMAND");
            parley.process.toHandle().destroy();
            assertThat(parley.awaitExit()).isZero();
        }

        @Test
        @DisplayName("an unknown plugin stops start-up with exit code 2 and names it")
        void unknownPlugin() throws Exception {
            ParleyProcess parley = start(DIST, "-Dparley.plugins=[chat,foo]", "server", "--port", "0");
            assertThat(parley.awaitExit()).isEqualTo(2);
            assertThat(parley.finalOutput())
                    .contains("parley: unknown plugin 'foo' in parley.plugins; available: auth, chat, filetransfer, heartbeat")
                    .doesNotContain("Exception");
        }

        @Test
        @DisplayName("with max-connections = 3 the 4th connection reads BYE SERVER_FULL")
        void serverFull() throws Exception {
            ParleyProcess parley = start(DIST, "-Dparley.limits.max-connections=3", "server", "--port", "0");
            int port = Integer.parseInt(parley.awaitListening().group(2));
            for (int i = 0; i < 3; i++) {
                assertThat(connect(port).readLine()).startsWith("HELLO ");
            }
            assertThat(connect(port).readLine()).startsWith("BYE SERVER_FULL");
        }

        @Test
        @DisplayName("reads conf/parley.conf of the distribution; --port overrides it")
        void distributionConfig() throws Exception {
            Path copy = copyDistribution();
            Files.writeString(copy.resolve("conf/parley.conf"), "parley.server { name = itest, port = 1 }\n");
            ParleyProcess parley = start(copy, "", "server", "--port", "0");
            Client client = connect(Integer.parseInt(parley.awaitListening().group(2)));
            assertThat(client.readLine()).startsWith("HELLO itest 1 ");
        }

        @Test
        @DisplayName("runs a plugin dropped in plugins/, with its reference.conf, after the built-in ones")
        void pluginFromDirectory() throws Exception {
            Path copy = copyDistribution();
            EchoPluginJar.build(tmp, copy.resolve("plugins"));
            ParleyProcess parley = start(copy, "-Dparley.plugins=[chat,echo] -Dparley.echo.greeting=hi", "server", "--port", "0");
            Matcher listening = parley.awaitListening();
            assertThat(listening.group(3)).isEqualTo("[chat, echo]");
            Client client = connect(Integer.parseInt(listening.group(2)));
            assertThat(client.readLine()).endsWith(":chat echo");
            client.send("ECHO");
            assertThat(client.readLine()).isEqualTo("OK ECHO hi");
        }

        @Test
        @DisplayName("with the auth plugin and required = true: PING and AUTH before anything, then NICK")
        void authRequired() throws Exception {
            Path copy = copyDistribution();
            String alice = dev.parley.auth.password.PasswordHash.create("pw of alice".toCharArray()).toString();
            String root = dev.parley.auth.password.PasswordHash.create("pw of root".toCharArray()).toString();
            Files.writeString(copy.resolve("conf/parley.conf"), "parley.plugins = [chat, heartbeat, auth]\n"
                    + "parley.auth { required = true, failure-delay = 0s, operators = [root],"
                    + " users { alice = \"" + alice + "\", root = \"" + root + "\" } }\n");
            ParleyProcess parley = start(copy, "", "server", "--port", "0");
            int port = Integer.parseInt(parley.awaitListening().group(2));
            Client client = connect(port);
            assertThat(client.readLine()).endsWith(":chat heartbeat auth");
            client.send("NICK alice");
            assertThat(client.readLine()).startsWith("ERR NICK NOT_AUTHENTICATED");
            client.send("PING x");
            assertThat(client.readLine()).isEqualTo("OK PING x");
            client.send("AUTH alice :pw of alice");
            assertThat(client.readLine()).isEqualTo("OK AUTH alice");
            client.send("NICK alice");
            assertThat(client.readLine()).startsWith("OK NICK alice ");
            client.send("JOIN #lobby");
            assertThat(client.readLine()).isEqualTo("OK JOIN #lobby");

            // Chat asks the auth plugin through core's Accounts: reserved nicks and the operator's KICK.
            Client op = connect(port);
            op.readLine();
            op.send("AUTH root :pw of root");
            assertThat(op.readLine()).isEqualTo("OK AUTH root");
            op.send("NICK Alice");
            assertThat(op.readLine()).startsWith("ERR NICK NICK_RESERVED");
            op.send("NICK root");
            assertThat(op.readLine()).startsWith("OK NICK root ");
            op.send("KICK #lobby alice :testing");
            assertThat(op.readLine()).isEqualTo("OK KICK #lobby alice");
            assertThat(client.readLine()).isEqualTo("@seq=1 KICKED #lobby alice root :testing");
        }

        @Test
        @DisplayName("a mistyped value exits 2 with one line naming the key")
        void badValue() throws Exception {
            ParleyProcess parley = start(DIST, "-Dparley.server.worker-threads=many", "server", "--port", "0");
            assertThat(parley.awaitExit()).isEqualTo(2);
            assertThat(parley.finalOutput()).startsWith("parley: configuration error: ")
                    .contains("parley.server.worker-threads").hasLineCount(1);
        }
    }

    @Nested
    @DisplayName("the distribution")
    class Layout {
        @Test
        @DisplayName("has bin/parley, lib/, conf/ and an empty plugins/")
        void layout() throws IOException {
            assertThat(DIST.resolve("bin/parley")).isExecutable();
            assertThat(DIST.resolve("conf/logback.xml")).isRegularFile();
            assertThat(DIST.resolve("plugins")).isEmptyDirectory();
            try (Stream<Path> jars = Files.list(DIST.resolve("lib"))) {
                assertThat(jars.map(jar -> jar.getFileName().toString()))
                        .anyMatch(name -> name.startsWith("parley-launcher-"))
                        .anyMatch(name -> name.startsWith("parley-core-"))
                        .anyMatch(name -> name.startsWith("parley-transport-mina-"))
                        .anyMatch(name -> name.startsWith("parley-client-"))
                        .anyMatch(name -> name.startsWith("parley-plugin-chat-"))
                        .anyMatch(name -> name.startsWith("parley-plugin-filetransfer-"))
                        .anyMatch(name -> name.startsWith("parley-plugin-heartbeat-"))
                        .anyMatch(name -> name.startsWith("parley-plugin-auth-"));
            }
        }

        @Test
        @DisplayName("conf/parley.conf has every key commented out")
        void confTemplate() throws IOException {
            String conf = Files.readString(DIST.resolve("conf/parley.conf"));
            assertThat(ConfigFactory.parseString(conf).isEmpty()).isTrue();
            assertThat(conf).contains("#parley.plugins = ", "#parley.server.port = ", "#parley.server.name = ");
        }

        @Test
        @DisplayName("bin/parley works through a symlink and prints the version")
        void symlinkAndVersion() throws Exception {
            Path link = Files.createSymbolicLink(tmp.resolve("parley"), DIST.resolve("bin/parley"));
            ParleyProcess parley = start(link, "", "--version");
            assertThat(parley.awaitExit()).isZero();
            assertThat(parley.finalOutput()).startsWith("Parley " + Version.get());
            Files.delete(link); // else @TempDir warns about a link leaving the temp dir

        }

        @Test
        @DisplayName("hash-password reads the password from a pipe and prints a hash the auth plugin accepts")
        void hashPassword() throws Exception {
            ParleyProcess parley = start(DIST, "", "hash-password");
            parley.process.getOutputStream().write("s3cret words\n".getBytes(StandardCharsets.UTF_8));
            parley.process.getOutputStream().close();
            assertThat(parley.awaitExit()).isZero();
            String line = parley.finalOutput().strip();
            assertThat(dev.parley.auth.password.PasswordHash.parse(line).verify("s3cret words")).isTrue();

            ParleyProcess empty = start(DIST, "", "hash-password");
            empty.process.getOutputStream().close();
            assertThat(empty.awaitExit()).isEqualTo(2);
            assertThat(empty.finalOutput()).contains("the password is empty");
        }

        @Test
        @DisplayName("an unknown subcommand exits 2")
        void unknownSubcommand() throws Exception {
            ParleyProcess parley = start(DIST, "", "frobnicate");
            assertThat(parley.awaitExit()).isEqualTo(2);
            assertThat(parley.finalOutput()).contains("Unmatched argument at index 0: 'frobnicate'");
        }
    }

    // ---- helpers ----

    private Path copyDistribution() throws IOException {
        Path copy = tmp.resolve("parley");
        try (Stream<Path> files = Files.walk(DIST)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(DIST.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copy;
    }

    /** Starts {@code bin/parley} of a distribution (or a symlink to it) with JAVA_OPTS. */
    private ParleyProcess start(Path distributionOrScript, String javaOpts, String... args) throws IOException {
        Path script = Files.isDirectory(distributionOrScript)
                ? distributionOrScript.resolve("bin/parley") : distributionOrScript;
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        // A scratch working directory: bin/parley must not depend on it, and whatever a plugin writes
        // relative to it (the file spool) stays out of the source tree.
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(cwd.toFile());
        builder.environment().put("JAVA_OPTS", ParleyProcess.privateStore(cwd) + " " + javaOpts + " -Dparley.http.port=0");
        ParleyProcess parley = new ParleyProcess(builder.start());
        started.add(parley);
        return parley;
    }

    private Client connect(int port) throws IOException {
        Client client = new Client(new Socket("127.0.0.1", port));
        clients.add(client);
        return client;
    }

    /** A line-oriented protocol client on a plain socket. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;

        Client(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        void send(String line) throws IOException {
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        }

        String readLine() throws IOException {
            String line = in.readLine();
            assertThat(line).as("a line before the server closed the connection").isNotNull();
            return line;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
