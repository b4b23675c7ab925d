package dev.parley.launcher.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.launcher.config.ConfigLoader;
import dev.parley.launcher.config.LauncherSettings;
import dev.parley.launcher.plugins.PluginCatalog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the README and protocol.md show of HELP is what a server with the default plugins answers. */
class DocumentedHelpTest {
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern OK_HELP = Pattern.compile("OK HELP (\\d+)");

    @TempDir
    Path spool;

    private ParleyServer server;
    private List<String> commands;
    private List<String> lines;

    @BeforeEach
    void help() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("parley.server.port", "0");
        // In-process servers keep nothing: the default SQLite file would outlive the test and leak into the next.
        properties.setProperty("parley.store.url", "memory:");
        properties.setProperty("parley.http.port", "0");
        properties.setProperty("parley.filetransfer.spool-dir", spool.toString());
        PluginCatalog catalog = PluginCatalog.discover(Optional.empty());
        Config config = ConfigLoader.load(ConfigLoader.reference(catalog.classLoaders()), Optional.empty(), properties,
                ConfigFactory.empty());
        LauncherSettings settings = LauncherSettings.from(config);
        server = ServerAssembly.build(config, settings, catalog.select(settings.plugins()));
        InetSocketAddress address = server.start();
        commands = new ArrayList<>();
        lines = new ArrayList<>();
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            in.readLine(); // HELLO
            out.write("HELP\n".getBytes(StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && line.startsWith("COMMAND "); ) {
                commands.add(line.split(" ")[1]);
                lines.add(line);
            }
        }
    }

    @AfterEach
    void stop() {
        server.shutdown();
    }

    private static List<Integer> documentedCounts(String file) throws Exception {
        Matcher m = OK_HELP.matcher(Files.readString(REPOSITORY.resolve(file)));
        List<Integer> counts = new ArrayList<>();
        while (m.find()) {
            counts.add(Integer.parseInt(m.group(1)));
        }
        return counts;
    }

    @Test
    @DisplayName("every COMMAND line the README and protocol.md show is one the default server answers, usage and all")
    void linesAgree() throws Exception {
        for (String file : List.of("README.md", "docs/protocol.md")) {
            List<String> shown = Files.readAllLines(REPOSITORY.resolve(file)).stream()
                    .map(l -> l.startsWith("S: ") ? l.substring(3) : l)
                    .filter(l -> l.startsWith("COMMAND ")).toList();
            assertThat(shown).as(file).isNotEmpty();
            assertThat(lines).as(file).containsAll(shown);
        }
    }

    @Test
    @DisplayName("the README's and protocol.md's OK HELP <count> equal the default server's, which offers ECHO and no KICK")
    void countsAgree() throws Exception {
        assertThat(commands).contains("ECHO", "HELP", "QUIT").doesNotContain("KICK");
        assertThat(documentedCounts("README.md")).isNotEmpty().containsOnly(commands.size());
        assertThat(documentedCounts("docs/protocol.md")).isNotEmpty().containsOnly(commands.size());
    }
}
