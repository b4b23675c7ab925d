package dev.parley.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfTemplateTest {
    private final ClassLoader loader = ConfTemplateTest.class.getClassLoader();
    private final String template = ConfTemplate.render(loader);
    private final Config reference = ConfigLoader.reference(List.of(loader)).resolve();

    @Test
    @DisplayName("parses as an empty configuration: every line is a comment")
    void allCommentedOut() {
        assertThat(ConfigFactory.parseString(template).isEmpty()).isTrue();
    }

    @Test
    @DisplayName("lists every key of every reference.conf at its default")
    void everyKeyAtItsDefault() {
        String uncommented = template.lines()
                .map(line -> line.startsWith("#parley.") ? line.substring(1) : line)
                .collect(Collectors.joining("\n"));
        Config fromTemplate = ConfigFactory.parseString(uncommented).resolve();
        for (Map.Entry<String, ConfigValue> entry : reference.getConfig("parley").entrySet()) {
            String path = "parley." + entry.getKey();
            assertThat(fromTemplate.hasPath(path)).as(path + " in conf/parley.conf").isTrue();
            assertThat(fromTemplate.getValue(path).unwrapped()).as(path).isEqualTo(entry.getValue().unwrapped());
        }
    }

    @Test
    @DisplayName("keeps the comment documenting each key")
    void keepsComments() {
        assertThat(template).contains("""
                # An empty list runs the core commands only (HELP, ECHO, QUIT).
                #parley.plugins = [chat, filetransfer, heartbeat]
                """);
        assertThat(template).contains("# the cluster membership, the transport and the store, so the process exits within this time.\n"
                + "#parley.server.shutdown-timeout = 10s\n");
    }

    @Test
    @DisplayName("lists a map operators fill in (an empty object such as parley.auth.users) with its comment")
    void emptyObjects() {
        assertThat(template).contains("stops start-up naming the user.\n#parley.auth.users = {}\n");
    }
}
