package dev.parley.core.spi;

import java.util.Objects;

/**
 * The version of this plugin SPI, {@code major.minor}. It changes only when the SPI does: a new minor adds
 * capabilities (default methods, new types) and keeps every existing one; a new major removes or changes
 * something, so plugins must be rebuilt.
 *
 * <p>A server of SPI {@code a.b} runs a plugin built for SPI {@code c.d} when {@code c == a} and
 * {@code d <= b}; any other plugin is refused at start-up with a message naming it and both versions.
 *
 * <p>A plugin author does nothing to record the version: parley-core's module version carries it
 * ({@code 0.1.0+spi.1.0}), and javac copies the version of every required module into the module descriptor
 * it writes, so {@code requires dev.parley.core;} records the SPI the plugin was compiled against.
 *
 * @param major incompatible generation, at least 1
 * @param minor compatible additions within the major, at least 0
 */
public record SpiVersion(int major, int minor) {

    /** The SPI this server offers. */
    public static final SpiVersion CURRENT = new SpiVersion(1, 5);

    /** Validates the parts. */
    public SpiVersion {
        if (major < 1 || minor < 0) {
            throw new IllegalArgumentException("an SPI version is <major>.<minor> with major >= 1 and minor >= 0: "
                    + major + "." + minor);
        }
    }

    /**
     * Parses {@code major.minor}, e.g. {@code "1.0"}.
     *
     * @throws IllegalArgumentException when the text is not of that form
     */
    public static SpiVersion parse(String text) {
        Objects.requireNonNull(text, "text");
        int dot = text.indexOf('.');
        try {
            if (dot > 0 && dot == text.lastIndexOf('.')) {
                return new SpiVersion(Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("an SPI version is <major>.<minor>, e.g. 1.0: '" + text + "'");
    }

    /** True when a server offering this version runs a plugin built for {@code builtFor}. */
    public boolean runs(SpiVersion builtFor) {
        return builtFor.major == major && builtFor.minor <= minor;
    }

    /** {@code major.minor}. */
    @Override
    public String toString() {
        return major + "." + minor;
    }
}
