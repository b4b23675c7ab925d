package dev.parley.launcher.client.chat;

import dev.parley.core.protocol.Frame;
import java.util.Optional;

/**
 * One line typed into {@code parley chat}, parsed: a message for the current room or a slash command.
 * Optional parts the user left out are empty; the session fills them in (the current room, say).
 */
public sealed interface ChatInput {

    /** Nothing to do: an empty or blank line. */
    record Blank() implements ChatInput {
    }

    /** A plain line: a message for the current room. {@code //text} sends {@code /text}. */
    record Say(String text) implements ChatInput {
    }

    /** {@code /join #room [key]}: the key of a room that has one ({@code SET #room key ...}). */
    record Join(String room, Optional<String> key) implements ChatInput {
        Join(String room) {
            this(room, Optional.empty());
        }
    }

    record Part(Optional<String> room, Optional<String> reason) implements ChatInput {
    }

    record Msg(String nick, String text) implements ChatInput {
    }

    record Who(Optional<String> room) implements ChatInput {
    }

    record Rooms() implements ChatInput {
    }

    record History(Optional<String> room, Optional<Integer> count) implements ChatInput {
    }

    record Nick(String nick) implements ChatInput {
    }

    /** {@code text} empty: show the topic; present (possibly ""): set it. */
    record Topic(Optional<String> room, Optional<String> text) implements ChatInput {
    }

    record Help() implements ChatInput {
    }

    record Quit(Optional<String> reason) implements ChatInput {
    }

    record Send(String target, String path) implements ChatInput {
    }

    record Files() implements ChatInput {
    }

    record Get(String fileId, Optional<String> dir) implements ChatInput {
    }

    /** A slash command that cannot be run as typed; the message says the accepted form. */
    /**
     * A moderation or account command sent as it is: /register, /claim, /grant, /ban, /unban, /kick, /invite, /set.
     *
     * @param command the frame to send
     * @param done    what to show once the server said OK
     */
    record Moderation(Frame command, String done) implements ChatInput {
    }

    record Invalid(String message) implements ChatInput {
    }
}
