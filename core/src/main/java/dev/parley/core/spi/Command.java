package dev.parley.core.spi;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A command a plugin adds: its verb, a one-line summary for {@code HELP}, and its handler.
 *
 * @param verb                 letters, digits, {@code .} and {@code _}; matched case-insensitively
 * @param summary              one line shown by {@code HELP}
 * @param requiresRegistration when true (the default of the factories), a session that has not registered
 *                             (see {@link Session#register}) gets {@code ERR <VERB> NOT_REGISTERED}
 * @param handler              answers the command
 */
public record Command(String verb, String summary, boolean requiresRegistration, CommandHandler handler) {

    /** Validates the verb, upper-cases it and flattens the summary to one line. */
    public Command {
        Objects.requireNonNull(handler, "handler");
        if (verb == null || !verb.matches("[A-Za-z0-9._]+")) {
            throw new IllegalArgumentException("a verb is letters, digits, '.' and '_': " + verb);
        }
        verb = verb.toUpperCase(Locale.ROOT);
        summary = summary == null ? "" : summary.replace('\n', ' ');
    }

    /** A command whose handler may complete later; replies still leave in the order commands arrived. */
    public static Command async(String verb, String summary, CommandHandler handler) {
        return new Command(verb, summary, true, handler);
    }

    /** A command whose handler answers at once. */
    public static Command sync(String verb, String summary, SyncHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return new Command(verb, summary, true, request -> CompletableFuture.completedFuture(handler.handle(request)));
    }

    /** The same command, usable before the session registers (like {@code NICK}, {@code PING}). */
    public Command beforeRegistration() {
        return new Command(verb, summary, false, handler);
    }

    /** A handler that answers synchronously. */
    @FunctionalInterface
    public interface SyncHandler {
        /**
         * @return the final reply; throwing answers {@code ERR <VERB> INTERNAL} and logs the exception
         */
        Reply handle(Request request) throws Exception;
    }
}
