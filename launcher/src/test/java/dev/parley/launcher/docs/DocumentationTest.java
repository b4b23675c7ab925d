package dev.parley.launcher.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What issue #19 asks of the docs, kept true: links resolve, the README reaches the reference pages in one hop. */
class DocumentationTest {
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern RESULT = Pattern.compile("bench/results/([A-Za-z0-9_.*-]*[A-Za-z0-9_*])");

    private static List<Path> markdown() throws IOException {
        List<Path> files = new ArrayList<>(List.of(REPOSITORY.resolve("README.md"), REPOSITORY.resolve("CHANGELOG.md")));
        try (Stream<Path> docs = Files.list(REPOSITORY.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** GitHub's anchor of a heading: lower case, punctuation but '-' and '_' dropped, spaces to '-'. */
    private static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static List<String> anchors(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith("#"))
                .map(l -> anchor(l.replaceFirst("^#+\\s*", ""))).toList();
    }

    @Test
    @DisplayName("every relative link of README.md, CHANGELOG.md and docs/*.md names a file that exists, and its #anchor a heading")
    void linksResolve() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : markdown()) {
            Matcher m = LINK.matcher(Files.readString(file));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // https:, mailto:
                }
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(REPOSITORY.relativize(file) + ": " + target);
                } else if (hash >= 0 && resolved.toString().endsWith(".md")
                        && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(REPOSITORY.relativize(file) + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    @DisplayName("the README links the client library, the store, the web module and the concurrency map directly")
    void readmeOneHop() throws IOException {
        String readme = Files.readString(REPOSITORY.resolve("README.md"));
        assertThat(readme).contains("](docs/client.md)", "](docs/architecture.md)",
                "](docs/operations.md#the-message-store-where-messages-live-backups-postgresql)",
                "](docs/operations.md#http-browser-client-websocket-health-metrics-and-admin-api)");
    }

    @Test
    @DisplayName("docs/performance.md is a reference page (at most 300 lines) whose raw results are all under bench/results/")
    void performanceReference() throws IOException {
        Path page = REPOSITORY.resolve("docs/performance.md");
        assertThat(Files.readAllLines(page)).hasSizeLessThanOrEqualTo(300);
        Matcher m = RESULT.matcher(Files.readString(page));
        int named = 0;
        while (m.find()) {
            named++;
            String glob = m.group(1);
            try (Stream<Path> results = Files.list(REPOSITORY.resolve("bench/results"))) {
                assertThat(results.map(p -> p.getFileName().toString())
                        .anyMatch(name -> name.matches(glob.replace(".", "\\.").replace("*", ".*"))))
                        .as("bench/results/" + glob + " named in docs/performance.md").isTrue();
            }
        }
        assertThat(named).isPositive();
    }
}
