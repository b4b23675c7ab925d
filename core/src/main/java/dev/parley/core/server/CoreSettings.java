package dev.parley.core.server;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Core's settings, read once from the {@code parley} section (see core's reference.conf).
 *
 * @param serverName           announced in HELLO
 * @param workerThreads        handler threads; resolved, never 0
 * @param maxQueuedCommands    commands a session may have waiting before its socket stops being read
 * @param maxQueuedBytes       payload bytes a session may have waiting before its socket stops being read
 * @param commandsPerSecond    commands one session may run per second on average; 0 = unlimited
 * @param commandBurst         commands one session may run at once above that rate (the bucket's size)
 * @param floodDisconnectAfter rate-limited commands after which the session is closed with BYE FLOOD; 0 = never
 * @param flowHighWater        unread output bytes of a recipient above which the sessions sending to it wait
 *                             before their next command (and a session above it runs no more of its own)
 * @param flowLowWater         unread output bytes below which those sessions go on
 * @param maxStall             longest one command of a sender waits for a recipient above the high-water mark
 */
public record CoreSettings(String serverName, int workerThreads, int maxQueuedCommands, long maxQueuedBytes,
                           double commandsPerSecond, int commandBurst, int floodDisconnectAfter,
                           long flowHighWater, long flowLowWater, Duration maxStall) {

    /** max-queued-bytes of the 3-argument constructor: reference.conf's default. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 4L * 1024 * 1024;
    /** flow-high-water of the shorter constructors: reference.conf's default. */
    public static final long DEFAULT_FLOW_HIGH_WATER = 512L * 1024;
    /** flow-low-water of the shorter constructors: reference.conf's default. */
    public static final long DEFAULT_FLOW_LOW_WATER = 128L * 1024;
    /** max-stall of the shorter constructors: reference.conf's default. */
    public static final Duration DEFAULT_MAX_STALL = Duration.ofMillis(10);

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
        if (maxQueuedBytes < 1) {
            throw new IllegalArgumentException("parley.limits.max-queued-bytes must be at least 1");
        }
        if (!(commandsPerSecond >= 0) || Double.isInfinite(commandsPerSecond)) {
            throw new IllegalArgumentException("parley.limits.commands-per-second must be 0 (unlimited) or more");
        }
        if (commandBurst < 1) {
            throw new IllegalArgumentException("parley.limits.command-burst must be at least 1");
        }
        if (floodDisconnectAfter < 0) {
            throw new IllegalArgumentException("parley.limits.flood-disconnect-after must be 0 (never) or more");
        }
        if (flowHighWater < 1) {
            throw new IllegalArgumentException("parley.limits.flow-high-water must be at least 1");
        }
        if (flowLowWater < 0 || flowLowWater > flowHighWater) {
            throw new IllegalArgumentException("parley.limits.flow-low-water must be between 0 and flow-high-water");
        }
        if (maxStall == null || maxStall.isNegative()) {
            throw new IllegalArgumentException("parley.limits.max-stall must be 0 (never wait) or more");
        }
    }

    /** Settings with the default flow control (as in tests and embedded servers). */
    public CoreSettings(String serverName, int workerThreads, int maxQueuedCommands, long maxQueuedBytes,
                        double commandsPerSecond, int commandBurst, int floodDisconnectAfter) {
        this(serverName, workerThreads, maxQueuedCommands, maxQueuedBytes, commandsPerSecond, commandBurst,
                floodDisconnectAfter, DEFAULT_FLOW_HIGH_WATER, DEFAULT_FLOW_LOW_WATER, DEFAULT_MAX_STALL);
    }

    /** A copy with other flow-control marks. */
    public CoreSettings withFlow(long highWater, long lowWater, Duration stall) {
        return new CoreSettings(serverName, workerThreads, maxQueuedCommands, maxQueuedBytes, commandsPerSecond,
                commandBurst, floodDisconnectAfter, highWater, lowWater, stall);
    }

    /** Settings without a command rate limit (as in tests and embedded servers). */
    public CoreSettings(String serverName, int workerThreads, int maxQueuedCommands) {
        this(serverName, workerThreads, maxQueuedCommands, DEFAULT_MAX_QUEUED_BYTES, 0, 1, 0);
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
                root.getInt("parley.limits.max-queued-commands"),
                root.getBytes("parley.limits.max-queued-bytes"),
                root.getDouble("parley.limits.commands-per-second"),
                root.getInt("parley.limits.command-burst"),
                root.getInt("parley.limits.flood-disconnect-after"),
                root.getBytes("parley.limits.flow-high-water"),
                root.getBytes("parley.limits.flow-low-water"),
                root.getDuration("parley.limits.max-stall"));
    }

    /** True when commands are rate limited. */
    public boolean rateLimited() {
        return commandsPerSecond > 0;
    }
}
