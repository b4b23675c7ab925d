package dev.parley.core.spi;

import java.util.List;

/**
 * A Parley plugin: a named set of commands with their state. Every method but {@link #name()} has a
 * default, so a plugin overrides only what it offers and new SPI capabilities never break it.
 *
 * <p>Life cycle: the server constructs the plugin through {@link java.util.ServiceLoader} (public no-argument
 * constructor), calls {@link #start(PluginContext)} once, then {@link #commands()} once; on graceful
 * shutdown it calls {@link #stop()} after every session got {@code BYE SHUTDOWN}.
 */
public interface ParleyPlugin {

    /** The name operators write in {@code parley.plugins}, e.g. {@code "chat"}; lower case, stable. */
    String name();

    /** One line for the start-up log and {@code HELLO}-adjacent tooling. */
    default String description() {
        return "";
    }

    /**
     * Prepares the plugin: read {@link PluginContext#config()}, build state, start timers. Throwing here
     * stops server start-up with the plugin's name and the exception's message.
     */
    default void start(PluginContext context) throws Exception {
    }

    /** The commands this plugin adds; called once after {@link #start}. Verbs must be unique server-wide. */
    default List<Command> commands() {
        return List.of();
    }

    /** Releases resources; called on graceful shutdown, in reverse start order. Must not throw. */
    default void stop() {
    }
}
