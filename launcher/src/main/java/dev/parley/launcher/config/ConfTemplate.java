package dev.parley.launcher.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Renders the distribution's {@code conf/parley.conf}: every key of every {@code reference.conf}, commented
 * out at its default, under the comment that documents it. The build runs {@link #main} so the file can
 * never miss a key a module added.
 */
public final class ConfTemplate {
    private static final String PREAMBLE = """
            # Parley configuration. Every key of every built-in module is listed here, commented out at its
            # default, under the comment that documents it. Uncomment a line to change it.
            #
            # Precedence, highest first: flags of `parley server` (--port, --host), -Dparley.<key>=<value> in
            # JAVA_OPTS, this file (or the one given with --config FILE), the modules' reference.conf.
            # Syntax: HOCON (https://github.com/lightbend/config/blob/main/HOCON.md); sizes like 4 MiB and
            # durations like 10s are understood. Unknown or mistyped keys stop start-up.
            #
            # Generated from the modules' reference.conf at build time; plugins added to plugins/
            # document their keys in their own reference.conf.
            """;

    private ConfTemplate() {
    }

    /** Writes the template of every {@code reference.conf} on the class path to the file {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, render(ConfTemplate.class.getClassLoader()));
    }

    /** The template for every {@code reference.conf} holding {@code parley} keys that the loader sees. */
    public static String render(ClassLoader loader) {
        try {
            List<URL> urls = new ArrayList<>(new LinkedHashSet<>(Collections.list(loader.getResources("reference.conf"))));
            StringBuilder out = new StringBuilder(PREAMBLE);
            for (URL url : urls) {
                String text;
                try (InputStream in = url.openStream()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                Config config = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(url.toString()));
                if (config.hasPath("parley")) {
                    renderFile(text, config, out);
                }
            }
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void renderFile(String text, Config config, StringBuilder out) {
        String[] lines = text.split("\n", -1);
        out.append('\n');
        for (String line : lines) { // the file's header comment says which module it belongs to
            if (!line.strip().startsWith("#")) {
                break;
            }
            out.append(line.strip()).append('\n');
        }
        List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(config.entrySet());
        // entrySet() lists leaves only; an empty object (a map operators fill in, e.g. parley.auth.users) is a
        // key too.
        addEmptyObjects(config.root(), List.of(), entries);
        entries.sort(Comparator.comparingInt(e -> e.getValue().origin().lineNumber()));
        if (entries.isEmpty()) {
            out.append("# (no settings)\n");
        }
        for (Map.Entry<String, ConfigValue> entry : entries) {
            ConfigValue value = entry.getValue();
            for (String comment : value.origin().comments()) {
                out.append('#').append(comment.stripTrailing()).append('\n');
            }
            out.append('#').append(entry.getKey()).append(" = ")
                    .append(valueText(value, lines[value.origin().lineNumber() - 1])).append('\n');
        }
    }

    private static void addEmptyObjects(ConfigObject object, List<String> path,
                                        List<Map.Entry<String, ConfigValue>> out) {
        for (Map.Entry<String, ConfigValue> child : object.entrySet()) {
            if (child.getValue() instanceof ConfigObject nested) {
                List<String> childPath = new ArrayList<>(path);
                childPath.add(child.getKey());
                if (nested.isEmpty()) {
                    out.add(Map.entry(ConfigUtil.joinPath(childPath), nested));
                } else {
                    addEmptyObjects(nested, childPath, out);
                }
            }
        }
    }

    /** The value as the reference wrote it ({@code 1 MiB}, not {@code "1 MiB"}) when that reads back equal. */
    private static String valueText(ConfigValue value, String line) {
        int separator = indexOfSeparator(line);
        if (separator >= 0) {
            String raw = line.substring(separator + 1).strip();
            try {
                ConfigValue reread = ConfigFactory.parseString("value = " + raw).getValue("value");
                if (reread.unwrapped().equals(value.unwrapped())) {
                    return raw;
                }
            } catch (RuntimeException notTheWholeValue) {
                // e.g. a list spread over several lines: fall back to rendering it
            }
        }
        return value.render(ConfigRenderOptions.concise().setJson(false));
    }

    private static int indexOfSeparator(String line) {
        int equals = line.indexOf('=');
        int colon = line.indexOf(':');
        if (equals < 0) {
            return colon;
        }
        return colon < 0 ? equals : Math.min(equals, colon);
    }
}
