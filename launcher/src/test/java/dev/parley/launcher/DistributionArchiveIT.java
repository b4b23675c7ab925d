package dev.parley.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release archives {@code mvn package} writes next to the distribution directory. */
class DistributionArchiveIT {
    private static final Path DIST = ParleyProcess.DIST;

    @TempDir
    Path tmp;

    @Test
    @DisplayName("parley-<version>.tar.gz unpacks to the distribution's bin, conf, lib and plugins, and its bin/parley runs")
    void tarball() throws Exception {
        Path archive = archive(".tar.gz");
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", tmp.toString()).inheritIO().start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).isZero();
        Path unpacked = tmp.resolve(baseName(archive));

        assertThat(files(unpacked)).isEqualTo(shippedFiles());
        assertThat(unpacked.resolve("plugins")).isDirectory();
        assertThat(Files.getPosixFilePermissions(unpacked.resolve("bin/parley"))).contains(PosixFilePermission.OWNER_EXECUTE);

        Process help = new ProcessBuilder(unpacked.resolve("bin/parley").toString(), "--version")
                .redirectErrorStream(true).start();
        String out = new String(help.getInputStream().readAllBytes());
        assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).as(out).isZero();
        assertThat(out).contains(version(archive));
    }

    @Test
    @DisplayName("parley-<version>.zip holds the same files under the same directory")
    void zip() throws Exception {
        Path archive = archive(".zip");
        Set<String> entries = new TreeSet<>();
        String base = baseName(archive) + "/";
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            zip.stream().filter(e -> !e.isDirectory()).forEach(e -> {
                assertThat(e.getName()).startsWith(base);
                entries.add(e.getName().substring(base.length()));
            });
        }
        assertThat(entries).isEqualTo(shippedFiles());
    }

    private static Path archive(String suffix) throws IOException {
        try (Stream<Path> siblings = Files.list(DIST.getParent())) {
            return siblings.filter(p -> p.getFileName().toString().matches("parley-.+" + suffix.replace(".", "\\.")))
                    .findFirst().orElseThrow(() -> new AssertionError("no parley-<version>" + suffix + " beside " + DIST));
        }
    }

    private static String baseName(Path archive) {
        String name = archive.getFileName().toString();
        return name.substring(0, name.indexOf(name.endsWith(".zip") ? ".zip" : ".tar.gz"));
    }

    private static String version(Path archive) {
        return baseName(archive).substring("parley-".length());
    }

    /** The distribution's files that the build put there (a server run from it may add spool/ and logs). */
    private static Set<String> shippedFiles() throws IOException {
        Set<String> shipped = new TreeSet<>();
        for (String dir : new String[] {"bin", "conf", "lib"}) {
            shipped.addAll(files(DIST, DIST.resolve(dir)));
        }
        return shipped;
    }

    private static Set<String> files(Path root) throws IOException {
        return files(root, root);
    }

    private static Set<String> files(Path root, Path under) throws IOException {
        try (Stream<Path> walk = Files.walk(under)) {
            Set<String> out = new TreeSet<>();
            walk.filter(Files::isRegularFile).forEach(p -> out.add(root.relativize(p).toString().replace('\\', '/')));
            return out;
        }
    }
}
