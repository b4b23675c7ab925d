package dev.parley.core.server;

import dev.parley.core.spi.Command;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every verb the server answers, with the plugin that owns it. Built once at start-up, then read-only. */
final class CommandTable {

    /** A command and the plugin that contributed it ({@code core} for HELP, ECHO and QUIT). */
    record Entry(String plugin, Command command) {
    }

    private final Map<String, Entry> byVerb = new HashMap<>();

    void add(String plugin, Command command) {
        Entry previous = byVerb.putIfAbsent(command.verb(), new Entry(plugin, command));
        if (previous != null && previous.plugin().equals(plugin)) {
            throw new StartupException("plugin '" + plugin + "' lists two commands with the verb " + command.verb()
                    + " in its commands(); each verb may appear once (a plugin bug: its author must fix it)");
        }
        if (previous != null) {
            throw new StartupException("plugins '" + previous.plugin() + "' and '" + plugin
                    + "' both define the command " + command.verb() + "; remove one of them from parley.plugins");
        }
    }

    /** The entry for an upper-case verb, or null. */
    Entry get(String verb) {
        return byVerb.get(verb);
    }

    /** All entries sorted by verb, for HELP. */
    List<Entry> sorted() {
        List<Entry> entries = new ArrayList<>(byVerb.values());
        entries.sort((a, b) -> a.command().verb().compareTo(b.command().verb()));
        return Collections.unmodifiableList(entries);
    }
}
