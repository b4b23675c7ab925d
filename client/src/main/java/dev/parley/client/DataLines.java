package dev.parley.client;

import dev.parley.core.protocol.Frame;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Which frames are a command's data lines, and where they go. The protocol tells data lines from events
 * only by their verb and parameters, so the command that expects them says which ones it wants.
 *
 * @param matches true for a frame that belongs to the command (only asked while it is the oldest unanswered)
 * @param sink    receives each data line on the connection's dispatch thread; null to collect them into
 *                the {@link Reply}
 */
public record DataLines(Predicate<Frame> matches, Consumer<Frame> sink) {

    private static final DataLines NONE = new DataLines(frame -> false, null);

    /** A command answered by its final reply alone. */
    public static DataLines none() {
        return NONE;
    }

    /** Collects every frame with one of these verbs into the reply, e.g. {@code MEMBER} for {@code WHO}. */
    public static DataLines verbs(String... verbs) {
        Set<String> set = Set.of(verbs);
        return new DataLines(frame -> set.contains(frame.verb()), null);
    }
}
