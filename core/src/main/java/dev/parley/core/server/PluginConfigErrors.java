package dev.parley.core.server;

import com.typesafe.config.ConfigException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plugin's configuration error as the operator needs it. A plugin reads {@code PluginContext.config()}, its
 * own section, so Typesafe Config names keys relative to it ({@code max-options has type STRING}); the
 * operator writes {@code parley.<plugin>.max-options}, and finds the key documented in the plugin's own
 * reference.conf, not in the distribution's conf/parley.conf.
 */
final class PluginConfigErrors {
    /** Where Typesafe Config's messages name a key: after a colon, in quotes, or after "at". */
    private static final Pattern WRONG_TYPE = Pattern.compile("(^|: )([A-Za-z0-9_.\"-]+) has type ");
    private static final Pattern QUOTED_KEY = Pattern.compile("(for key |at path |at |path: )'([^']+)'");

    private PluginConfigErrors() {
    }

    static String explain(String plugin, ConfigException e) {
        String section = "parley." + plugin;
        String message = String.valueOf(e.getMessage());
        Matcher wrong = WRONG_TYPE.matcher(message);
        if (wrong.find() && !wrong.group(2).startsWith(section + ".")) {
            message = message.substring(0, wrong.start(2)) + section + "." + wrong.group(2)
                    + message.substring(wrong.end(2));
        } else {
            Matcher quoted = QUOTED_KEY.matcher(message);
            if (quoted.find() && !quoted.group(2).startsWith(section + ".")) {
                message = message.substring(0, quoted.start(2)) + section + "." + quoted.group(2)
                        + message.substring(quoted.end(2));
            }
        }
        return "plugin '" + plugin + "' failed to start: configuration error: " + message + "; the keys of "
                + section + " and their defaults are documented in the plugin's reference.conf";
    }
}
