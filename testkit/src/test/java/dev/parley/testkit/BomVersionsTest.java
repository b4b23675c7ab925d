package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * parley-bom has no parent (importing it must not pull the launcher's versions), so it repeats some of the
 * parent's version properties; this keeps the copies equal. It lives here because plugin authors get the
 * BOM's versions with the test kit, and it needs the build's source tree.
 */
class BomVersionsTest {
    private static final Pattern PROPERTY = Pattern.compile("<([a-z][a-z.-]*\\.version)>([^<]+)</\\1>");

    @Test
    @DisplayName("every version property of parley-bom equals the parent's, and so does its own version")
    void bomMatchesParent() throws IOException {
        Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        Path bom = root.resolve("bom/pom.xml");
        assumeThat(bom).as("the source tree's bom/pom.xml").exists();
        String bomText = Files.readString(bom);
        String parentText = Files.readString(root.resolve("pom.xml"));

        Map<String, String> bomVersions = properties(bomText);
        Map<String, String> parentVersions = properties(parentText);
        assertThat(bomVersions).isNotEmpty();
        bomVersions.forEach((name, version) ->
                assertThat(parentVersions.get(name)).as("parent's <%s>", name).isEqualTo(version));
        assertThat(projectVersion(bomText)).as("parley-bom's version").isEqualTo(projectVersion(parentText));
    }

    private static Map<String, String> properties(String pom) {
        Map<String, String> found = new TreeMap<>();
        Matcher m = PROPERTY.matcher(pom);
        while (m.find()) {
            found.put(m.group(1), m.group(2).trim());
        }
        return found;
    }

    /** The first {@code <version>} after the artifactId of the project itself (after any parent block). */
    private static String projectVersion(String pom) {
        String withoutParent = pom.replaceFirst("(?s)<parent>.*?</parent>", "");
        Matcher m = Pattern.compile("<artifactId>parley-[a-z]+</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(withoutParent);
        return m.find() ? m.group(1) : null;
    }
}
