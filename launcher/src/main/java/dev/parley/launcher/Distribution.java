package dev.parley.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The unpacked distribution the command runs from: {@code bin/parley} passes its root as the
 * {@code parley.home} system property. Absent when the launcher runs from an IDE or a test.
 *
 * @param home the directory holding bin/, lib/, conf/ and plugins/
 */
public record Distribution(Path home) {

    /** The system property {@code bin/parley} sets to the distribution's root. */
    public static final String HOME_PROPERTY = "parley.home";

    /** The distribution this JVM was started from, if {@code parley.home} is set. */
    public static Optional<Distribution> current() {
        String home = System.getProperty(HOME_PROPERTY);
        return home == null || home.isBlank() ? Optional.empty() : Optional.of(new Distribution(Path.of(home)));
    }

    /** {@code conf/parley.conf}, if it exists: the configuration used when no {@code --config} is given. */
    public Optional<Path> configFile() {
        Path file = home.resolve("conf").resolve("parley.conf");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** {@code plugins/}, if it exists: extra plugin modules (and their dependencies) loaded in a layer. */
    public Optional<Path> pluginsDirectory() {
        Path dir = home.resolve("plugins");
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }
}
