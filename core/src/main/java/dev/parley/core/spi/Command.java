package dev.parley.core.spi;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A command a plugin adds: its verb, a one-line summary for {@code HELP}, its syntax, and its handler.
 *
 * <pre>{@code
 * Command.sync("ROLL", "Roll dice", this::roll).withUsage("<N>d<M> [#room]")
 * }</pre>
 *
 * @param verb                 letters, digits, {@code .} and {@code _}; matched case-insensitively
 * @param summary              one line shown by {@code HELP}
 * @param requiresRegistration   when true (the default of the factories), a session that has not registered
 *                               (see {@link Session#register}) gets {@code ERR <VERB> NOT_REGISTERED}
 * @param requiresAuthentication when true (the default of the factories) and a plugin made authentication
 *                               mandatory (see {@link PluginContext#authenticateSessions}), a session without
 *                               an {@link Session#account() account} gets {@code ERR <VERB> NOT_AUTHENTICATED};
 *                               without such a plugin it has no effect
 * @param handler                answers the command
 * @param overlaps               when true (see {@link #orderedOverlap()}), the session's next command may start
 *                               while this one's reply is pending; false for the factories
 * @param usage                  the arguments the command takes (see {@link #withUsage(String)});
 *                               {@link Usage#UNDECLARED} for the factories and the older constructors
 * @since SPI 1.4 for {@code usage}
 */
public record Command(String verb, String summary, boolean requiresRegistration, boolean requiresAuthentication,
                      CommandHandler handler, boolean overlaps, Usage usage) {

    /** Validates the verb, upper-cases it and flattens the summary to one line. */
    public Command {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(usage, "usage");
        if (verb == null || !verb.matches("[A-Za-z0-9._]+")) {
            throw new IllegalArgumentException("a verb is letters, digits, '.' and '_': " + verb);
        }
        verb = verb.toUpperCase(Locale.ROOT);
        summary = summary == null ? "" : summary.replace('\n', ' ');
    }

    /** A command without a declared syntax (see {@link #withUsage(String)}). */
    public Command(String verb, String summary, boolean requiresRegistration, boolean requiresAuthentication,
                   CommandHandler handler, boolean overlaps) {
        this(verb, summary, requiresRegistration, requiresAuthentication, handler, overlaps, Usage.UNDECLARED);
    }

    /** A command that does not overlap (see {@link #orderedOverlap()}). */
    public Command(String verb, String summary, boolean requiresRegistration, boolean requiresAuthentication,
                   CommandHandler handler) {
        this(verb, summary, requiresRegistration, requiresAuthentication, handler, false);
    }

    /** A command that requires authentication whenever a plugin makes it mandatory. */
    public Command(String verb, String summary, boolean requiresRegistration, CommandHandler handler) {
        this(verb, summary, requiresRegistration, true, handler);
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
        return new Command(verb, summary, false, requiresAuthentication, handler, overlaps, usage);
    }

    /**
     * The same command, usable before the session registers and before it authenticates, also when
     * authentication is mandatory: for the few commands a client needs to get that far ({@code HELP},
     * {@code QUIT}, {@code PING}, {@code AUTH}). Registering needs authentication in that case, so such a
     * command is usable before registration too.
     */
    public Command beforeAuthentication() {
        return new Command(verb, summary, false, false, handler, overlaps, usage);
    }

    /**
     * The same command, allowed to overlap: while its stage is pending, the session's next command may start
     * if it overlaps too (for example a client's pipelined {@code SAY}s, whose appends a store then commits
     * together). Replies still leave in the order the commands arrived: a reply that completes early waits
     * for the earlier ones. A command that does not overlap waits, as always, until every earlier reply is
     * written. Only for commands whose handler writes no data lines ({@link Request#data}), since those would
     * overtake earlier pending replies. A session whose commands are rate limited does not overlap.
     */
    public Command orderedOverlap() {
        return new Command(verb, summary, requiresRegistration, requiresAuthentication, handler, true, usage);
    }

    /**
     * The same command with its syntax declared once: the arguments after the verb, e.g. {@code <#room> [key]}
     * or {@code <nick> :<text>}, from which {@link Usage#of(String)} derives how many it takes. The server
     * then answers a command with too few or too many arguments {@code ERR <VERB> BAD_ARGUMENT :usage: <VERB>
     * <usage>} without calling the handler, and {@code HELP} shows the usage before the summary. A command
     * without a declared syntax gets every command and checks the arguments itself.
     *
     * @throws IllegalArgumentException when the text is not a usage (an unclosed bracket)
     * @since SPI 1.4
     */
    public Command withUsage(String usage) {
        return withUsage(Usage.of(usage));
    }

    /**
     * The same command with this syntax, for counts the text cannot say (see {@link Usage}).
     *
     * @since SPI 1.4
     */
    public Command withUsage(Usage usage) {
        return new Command(verb, summary, requiresRegistration, requiresAuthentication, handler, overlaps, usage);
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
