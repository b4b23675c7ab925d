package dev.parley.core.server;

import com.typesafe.config.Config;

/**
 * Core's settings, read once from the {@code parley} section (see core's reference.conf).
 *
 * @param serverName        announced in HELLO
 * @param workerThreads     handler threads; resolved, never 0
 * @param maxQueuedCommands commands a session may have waiting before its socket stops being read
 */
public record CoreSettings(String serverName, int workerThreads, int maxQueuedCommands) {

    public CoreSettings {
        if (serverName == null || !serverName.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("parley.server.name must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("parley.server.worker-threads must be 0 (automatic) or more");
        }
        if (maxQueuedCommands < 1) {
            throw new IllegalArgumentException("parley.limits.max-queued-commands must be at least 1");
        }
    }

    /** Reads the settings from the root config (the one holding {@code parley}). */
    public static CoreSettings from(Config root) {
        int workers = root.getInt("parley.server.worker-threads");
        if (workers == 0) {
            workers = 2 * Runtime.getRuntime().availableProcessors();
        } else if (workers < 0) {
            throw new IllegalArgumentException("parley.server.worker-threads must be 0 (automatic) or more");
        }
        return new CoreSettings(root.getString("parley.server.name"), workers,
                root.getInt("parley.limits.max-queued-commands"));
    }
}
