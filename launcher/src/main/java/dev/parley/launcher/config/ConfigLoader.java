package dev.parley.launcher.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.parley.launcher.Distribution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads Parley's configuration. Highest precedence first: command-line flags, {@code -Dparley.*} system
 * properties, the configuration file, then every module's {@code reference.conf} (plugins in a layer
 * included, through that layer's class loader). The result is checked against the reference: a missing,
 * mistyped or unknown key fails with a {@link ConfigException} whose message names the key.
 */
public final class ConfigLoader {
    /** The one cluster key the launcher itself knows (its reference.conf), whatever is loaded. */
    public static final String CLUSTER_ENABLED = "parley.cluster.enabled";

    /** Keys that were removed, with what replaces them: a configuration that still sets one stops start-up. */
    static final Map<String, String> RETIRED_KEYS = Map.of(
            "parley.chat.history-size", "history is kept in the message store now: HISTORY's page size is"
                    + " parley.chat.history-page and how long history lasts is parley.store.retention.* (max-age,"
                    + " max-messages-per-room)");

    private ConfigLoader() {
    }

    /**
     * Whether {@code parley.cluster.enabled} is true in the operator's layers (flags, system properties, file)
     * over the reference, read before the full load because it decides which modules make up the reference.
     */
    public static boolean clusterEnabled(Config reference, Optional<Path> file, Properties systemProperties,
                                         Config commandLine) {
        return clusterEnabled(reference, parse(file), systemProperties, commandLine);
    }

    /** The same, with the file already {@linkplain #parse(Optional) parsed}. */
    public static boolean clusterEnabled(Config reference, Config fromFile, Properties systemProperties,
                                         Config commandLine) {
        Config merged = commandLine.withFallback(systemPropertyOverrides(systemProperties)).withFallback(fromFile)
                .withFallback(reference).resolve();
        return merged.hasPath(CLUSTER_ENABLED) && merged.getBoolean(CLUSTER_ENABLED);
    }

    /** The merged, unresolved {@code reference.conf} of every module visible to these class loaders. */
    public static Config reference(List<ClassLoader> loaders) {
        Config reference = ConfigFactory.empty();
        for (ClassLoader loader : loaders) {
            reference = reference.withFallback(ConfigFactory.defaultReferenceUnresolved(loader));
        }
        return reference;
    }

    /**
     * The resolved, validated configuration.
     *
     * @param reference        from {@link #reference(List)}
     * @param file             the operator's file, if any; it must exist
     * @param systemProperties {@code parley.*} entries override the file
     * @param commandLine      flags such as {@code --port}, overriding everything
     */
    public static Config load(Config reference, Optional<Path> file, Properties systemProperties, Config commandLine) {
        return load(reference, parse(file), systemProperties, commandLine);
    }

    /**
     * The same, with the file already {@linkplain #parse(Optional) parsed}: {@code parley server} reads it for
     * {@link #clusterEnabled} first, and parsing it again cost a few milliseconds of every start.
     */
    public static Config load(Config reference, Config fromFile, Properties systemProperties, Config commandLine) {
        Config config = commandLine
                .withFallback(systemPropertyOverrides(systemProperties))
                .withFallback(fromFile)
                .withFallback(reference)
                .resolve();
        rejectRetiredKeys(config);
        Config resolvedReference = reference.resolve();
        try {
            config.checkValid(resolvedReference, "parley");
        } catch (ConfigException.ValidationFailed e) {
            throw explained(e, config, resolvedReference);
        }
        rejectUnknownKeys(config, resolvedReference);
        return config;
    }

    /** The operator's file, unresolved; an empty config when there is none. A named file must exist. */
    public static Config parse(Optional<Path> file) {
        return file.map(ConfigLoader::parseFile).orElse(ConfigFactory.empty());
    }

    private static Config parseFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new ConfigException.Generic("configuration file " + file + " is a directory; give the path of a"
                    + " HOCON file, e.g. " + file.resolve("parley.conf"));
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException.Generic("configuration file " + file + " does not exist");
        }
        // The shipped conf/parley.conf lists every key commented out. Typesafe Config's parser, interpreted this
        // early in the JVM's life, took ~10 ms of each start to find nothing in it; HOCON makes an empty object
        // of such a file, so skip the parser. Any other line (a key, an include) goes through the parser.
        if (onlyCommentsAndBlankLines(file)) {
            return ConfigFactory.empty(file.toString());
        }
        // Parsed as HOCON whatever the extension, so parley.conf, parley.txt and a fifo all behave alike.
        return ConfigFactory.parseFile(file.toFile(),
                ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
    }

    /**
     * Whether the file holds only HOCON comments ({@code #} or {@code //} to the end of the line) and ASCII
     * whitespace. Bytes, not lines of text: reading the template through a Reader and a stream of lines cost
     * about as much, interpreted, as half the parse it saves. Any other byte, outside a comment, answers false.
     */
    static boolean onlyCommentsAndBlankLines(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return false; // the parser reports it, as it always did
        }
        int i = 0;
        while (i < bytes.length) {
            byte b = bytes[i];
            if (b == '#' || (b == '/' && i + 1 < bytes.length && bytes[i + 1] == '/')) {
                while (i < bytes.length && bytes[i] != '\n') {
                    i++;
                }
            } else if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x0B) {
                i++;
            } else {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code -Dparley.x=y} entries as a config. A value starting with {@code [} or <code>{</code> is read as
     * HOCON, so {@code -Dparley.plugins=[]} gives an empty list; any other value is a string, which Typesafe
     * Config converts to a number, boolean, duration or size when read.
     */
    static Config systemPropertyOverrides(Properties properties) {
        Config overrides = ConfigFactory.empty();
        for (String key : properties.stringPropertyNames()) {
            // parley.home is set by bin/parley; it is not a configuration key.
            if (!key.startsWith("parley.") || key.equals(Distribution.HOME_PROPERTY)) {
                continue;
            }
            String value = properties.getProperty(key);
            String origin = "system property -D" + key;
            String trimmed = value.strip();
            ConfigValue parsed = trimmed.startsWith("[") || trimmed.startsWith("{")
                    ? ConfigFactory.parseString("value = " + trimmed,
                            ConfigParseOptions.defaults().setOriginDescription(origin)).getValue("value")
                    : ConfigValueFactory.fromAnyRef(value, origin);
            overrides = overrides.withValue(key, parsed);
        }
        return overrides;
    }

    static void rejectRetiredKeys(Config config) {
        for (Map.Entry<String, String> retired : RETIRED_KEYS.entrySet()) {
            if (config.hasPath(retired.getKey())) {
                throw new ConfigException.Generic(config.getValue(retired.getKey()).origin().description() + ": "
                        + retired.getKey() + " is no longer a setting; " + retired.getValue());
            }
        }
    }

    /**
     * A validation failure as an operator can act on it: each problem with where the value came from, what was
     * found, and the key's documentation and default from its reference.conf (which states the allowed values),
     * instead of Typesafe Config's "Wrong value type".
     */
    static ConfigException explained(ConfigException.ValidationFailed e, Config config, Config reference) {
        StringBuilder message = new StringBuilder();
        for (ConfigException.ValidationProblem problem : e.problems()) {
            if (message.length() > 0) {
                message.append("; ");
            }
            message.append(problem.origin() != null ? problem.origin().description() + ": " : "")
                    .append(problem.path()).append(": ")
                    .append(reference.hasPath(problem.path()) ? expectation(problem.path(), config, reference)
                            : problem.problem());
        }
        return new ConfigException.Generic(message.toString(), e);
    }

    /** Typesafe Config's wording of a value a settings record could not read as the type it asked for. */
    private static final Pattern WRONG_TYPE = Pattern.compile("^(.*): ([^\\s:]+) has type \\S+ rather than .*$");

    /**
     * The message of a configuration error for the operator: a value of the wrong type (found while a settings
     * record reads it) gets, like {@link #explained a validation failure}, what was found and the key's
     * documentation and default from its reference.conf; anything else its own message.
     *
     * @param config    the configuration as loaded, or null when loading itself failed
     * @param reference the reference it was checked against, or null
     */
    public static String describe(ConfigException e, Config config, Config reference) {
        Matcher wrong = WRONG_TYPE.matcher(String.valueOf(e.getMessage()));
        if (e instanceof ConfigException.WrongType && wrong.matches() && config != null && reference != null) {
            String path = wrong.group(2);
            Config resolved = reference.resolve();
            if (resolved.hasPath(path)) {
                return wrong.group(1) + ": " + path + ": " + expectation(path, config, resolved);
            }
        }
        return e.getMessage();
    }

    /** "expected a number, not "abc" (the key's comment; default 7878)". */
    private static String expectation(String path, Config config, Config reference) {
        ConfigValue expected = reference.getValue(path);
        StringBuilder message = new StringBuilder("expected ").append(article(expected.valueType()));
        if (config.hasPath(path)) {
            message.append(", not ").append(config.getValue(path).render(ConfigRenderOptions.concise()));
        }
        String doc = String.join(" ", expected.origin().comments()).strip();
        if (!doc.isEmpty()) {
            message.append(" (").append(doc.endsWith(".") ? doc.substring(0, doc.length() - 1) : doc).append(';');
        } else {
            message.append(" (");
        }
        return message.append(" default ").append(expected.render(ConfigRenderOptions.concise())).append(')')
                .toString().replace("( ", "(");
    }

    private static String article(ConfigValueType type) {
        return switch (type) {
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case LIST -> "a list [...]";
            case OBJECT -> "an object {...}";
            case STRING -> "a string";
            case NULL -> "null";
        };
    }

    /**
     * {@code checkValid} accepts keys the reference does not know, so a misspelt key would be silently
     * ignored; reject it instead.
     */
    static void rejectUnknownKeys(Config config, Config reference) {
        // The cluster's keys are known only when its module is loaded, i.e. when it is enabled; a disabled
        // cluster's settings are left alone so that turning it off is one line.
        boolean clusterKnown = !reference.hasPath(CLUSTER_ENABLED) || config.getBoolean(CLUSTER_ENABLED);
        for (Map.Entry<String, ConfigValue> entry : config.getConfig("parley").entrySet()) {
            String path = "parley." + entry.getKey();
            if (!clusterKnown && path.startsWith("parley.cluster.")) {
                continue;
            }
            if (!isKnown(reference, path)) {
                throw new ConfigException.Generic(entry.getValue().origin().description() + ": unknown key '"
                        + path + "'; conf/parley.conf lists the keys of the modules the distribution ships, a"
                        + " plugin's own reference.conf those of its section");
            }
        }
    }

    private static boolean isKnown(Config reference, String path) {
        List<String> elements = ConfigUtil.splitPath(path);
        for (int depth = 2; depth < elements.size(); depth++) {
            String prefix = ConfigUtil.joinPath(elements.subList(0, depth));
            if (!reference.hasPath(prefix)) {
                return false;
            }
            ConfigValue value = reference.getValue(prefix);
            if (value.valueType() == ConfigValueType.LIST) {
                return true; // a list written element by element: -Dparley.plugins.0=chat
            }
            if (!(value instanceof ConfigObject object)) {
                return false;
            }
            if (depth >= 3 && object.isEmpty()) {
                return true; // an empty object below a module's section is a map of the operator's keys
            }
        }
        return reference.hasPathOrNull(path);
    }
}
