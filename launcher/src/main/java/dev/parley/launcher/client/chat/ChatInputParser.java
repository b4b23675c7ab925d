package dev.parley.launcher.client.chat;

import dev.parley.core.protocol.Frame;
import dev.parley.launcher.client.chat.ChatInput.Blank;
import dev.parley.launcher.client.chat.ChatInput.Files;
import dev.parley.launcher.client.chat.ChatInput.Get;
import dev.parley.launcher.client.chat.ChatInput.Help;
import dev.parley.launcher.client.chat.ChatInput.History;
import dev.parley.launcher.client.chat.ChatInput.Invalid;
import dev.parley.launcher.client.chat.ChatInput.Join;
import dev.parley.launcher.client.chat.ChatInput.Moderation;
import dev.parley.launcher.client.chat.ChatInput.Msg;
import dev.parley.launcher.client.chat.ChatInput.Nick;
import dev.parley.launcher.client.chat.ChatInput.Part;
import dev.parley.launcher.client.chat.ChatInput.Quit;
import dev.parley.launcher.client.chat.ChatInput.Rooms;
import dev.parley.launcher.client.chat.ChatInput.Say;
import dev.parley.launcher.client.chat.ChatInput.Send;
import dev.parley.launcher.client.chat.ChatInput.Topic;
import dev.parley.launcher.client.chat.ChatInput.Who;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Turns a typed line into a {@link ChatInput}. Pure: no state, no I/O. */
public final class ChatInputParser {

    /** The slash commands with their forms, as {@code /help} shows them. */
    public static final List<String> HELP = List.of(
            "/join #room [key]      join a room (or switch to it) and talk there; the key if it has one",
            "/part [#room] [reason] leave the current room or the one named",
            "/msg <nick> <text>     whisper to one person",
            "/who [#room]           who is in the room",
            "/rooms                 every room with its members and topic",
            "/history [#room] [n]   the room's last n messages; again: the n before them",
            "/nick <new>            change your nick",
            "/topic [#room] [text]  show the topic, or set it",
            "/send <target> <path>  send a file to a nick or #room",
            "/files                 files offered to you",
            "/get <file-id> [dir]   download an offered file",
            "/register <name> <pw>  create an account (where the server allows it)",
            "/claim [#room]         become the owner of a room that has none",
            "/grant <account> <role> [#room]  owner, op, voice or member",
            "/ban <target> [time] [reason]    in the current room; /unban <target>",
            "/kick <nick> [reason]  remove a nick from the current room",
            "/invite <nick>         let a nick into the current invite-only room",
            "/set <setting> <value> key, invite-only, moderated, topic-lock, guests",
            "/help                  this list",
            "/quit [reason]         leave",
            "A line without / goes to the current room (the last one joined); //text sends /text.");

    /** Stands for the current room in a {@link Moderation} frame until the session sends it. */
    static final String CURRENT_ROOM = "#.current";

    private ChatInputParser() {
    }

    public static ChatInput parse(String line) {
        if (line.isBlank()) {
            return new Blank();
        }
        if (!line.startsWith("/")) {
            return new Say(line);
        }
        if (line.startsWith("//")) {
            return new Say(line.substring(1));
        }
        String body = line.substring(1).strip();
        int space = body.indexOf(' ');
        String name = (space < 0 ? body : body.substring(0, space)).toLowerCase(Locale.ROOT);
        String rest = space < 0 ? "" : body.substring(space + 1).strip();
        return switch (name) {
            case "join", "j" -> join(rest);
            case "part", "leave" -> part(rest);
            case "msg", "tell", "whisper", "m" -> msg(rest);
            case "who", "names" -> rest.contains(" ") ? usage("/who [#room]") : new Who(optional(rest));
            case "rooms", "list" -> rest.isEmpty() ? new Rooms() : usage("/rooms");
            case "history" -> history(rest);
            case "nick" -> rest.isEmpty() || rest.contains(" ") ? usage("/nick <new>") : new Nick(rest);
            case "topic" -> topic(rest);
            case "help", "?" -> new Help();
            case "quit", "exit", "q" -> new Quit(optional(rest));
            case "send" -> send(rest);
            case "files" -> rest.isEmpty() ? new Files() : usage("/files");
            case "get" -> get(rest);
            case "register" -> register(rest);
            case "claim" -> rest.contains(" ") ? usage("/claim [#room]")
                    : roomCommand("CLAIM", optional(rest), List.of(), null, "You own %s now");
            case "grant" -> words(rest, 2, 3, "/grant <account> owner|op|voice|member [#room]", w ->
                    roomCommand("GRANT", w.length == 3 ? Optional.of(w[2]) : Optional.empty(), List.of(w[0], w[1]),
                            null, "Granted in %s"));
            case "ban" -> ban(rest);
            case "unban" -> words(rest, 1, 1, "/unban <target>", w ->
                    roomCommand("UNBAN", Optional.empty(), List.of(w[0]), null, "Ban lifted in %s"));
            case "kick" -> {
                String[] w = rest.split(" ", 2);
                yield w[0].isEmpty() ? usage("/kick <nick> [reason]") : roomCommand("KICK", Optional.empty(),
                        List.of(w[0]), w.length > 1 ? w[1].strip() : null, "Kicked from %s");
            }
            case "invite" -> words(rest, 1, 1, "/invite <nick>", w ->
                    roomCommand("INVITE", Optional.empty(), List.of(w[0]), null, "Invited to %s"));
            case "set" -> words(rest, 2, 2, "/set key <secret>|off, /set invite-only|moderated|topic-lock|guests on|off",
                    w -> roomCommand("SET", Optional.empty(), List.of(w[0], w[1]), null, "Changed in %s"));
            case "" -> usage("/<command> ...; /help lists them");
            default -> new Invalid("Unknown command /" + name + "; /help lists the commands, //text sends a line"
                    + " starting with /");
        };
    }

    private static ChatInput join(String rest) {
        String[] words = rest.isEmpty() ? new String[0] : rest.split(" +");
        return switch (words.length) {
            case 1 -> new Join(words[0]);
            case 2 -> new Join(words[0], Optional.of(words[1]));
            default -> usage("/join #room [key]");
        };
    }

    private static ChatInput register(String rest) {
        String[] w = rest.split(" ", 2);
        if (w.length < 2 || w[0].isEmpty() || w[1].isBlank()) {
            return usage("/register <name> <password>");
        }
        return new Moderation(Frame.of("REGISTER").param(w[0]).trailing(w[1]).build(), "Account %s created");
    }

    private static ChatInput ban(String rest) {
        String[] w = rest.split(" ", 3);
        if (w[0].isEmpty()) {
            return usage("/ban <account:name|nick:nick|addr:ip[/bits]|name> [90s|30m|2h|7d] [reason]");
        }
        List<String> params = new java.util.ArrayList<>(List.of(w[0]));
        String reason = null;
        if (w.length > 1 && w[1].matches("[1-9][0-9]{0,8}[smhd]")) {
            params.add(w[1]);
            reason = w.length > 2 ? w[2].strip() : null;
        } else if (w.length > 1) {
            reason = rest.substring(w[0].length()).strip();
        }
        return roomCommand("BAN", Optional.empty(), params, reason, "Banned in %s");
    }

    /** Between min and max space-separated words, else the usage. */
    private static ChatInput words(String rest, int min, int max, String form,
                                   java.util.function.Function<String[], ChatInput> build) {
        String[] w = rest.isEmpty() ? new String[0] : rest.split(" +");
        return w.length < min || w.length > max ? usage(form) : build.apply(w);
    }

    /** A command on a room: the named one, else the current one (filled in when it is sent). */
    private static ChatInput roomCommand(String verb, Optional<String> room, List<String> params, String trailing,
                                         String done) {
        Frame.Builder frame = Frame.of(verb).param(room.orElse(CURRENT_ROOM)).params(params);
        if (trailing != null && !trailing.isEmpty()) {
            frame.trailing(trailing);
        }
        return new Moderation(frame.build(), done);
    }

    private static ChatInput part(String rest) {
        if (rest.isEmpty()) {
            return new Part(Optional.empty(), Optional.empty());
        }
        if (rest.startsWith("#")) {
            String[] words = rest.split(" ", 2);
            return new Part(Optional.of(words[0]), words.length > 1 ? optional(words[1].strip()) : Optional.empty());
        }
        return new Part(Optional.empty(), Optional.of(rest));
    }

    private static ChatInput msg(String rest) {
        String[] words = rest.split(" ", 2);
        if (words.length < 2 || words[1].isBlank()) {
            return usage("/msg <nick> <text>");
        }
        return new Msg(words[0], words[1].strip());
    }

    private static ChatInput history(String rest) {
        Optional<String> room = Optional.empty();
        Optional<Integer> count = Optional.empty();
        for (String word : words(rest)) {
            if (word.startsWith("#") && room.isEmpty() && count.isEmpty()) {
                room = Optional.of(word);
            } else if (word.matches("[0-9]{1,9}") && count.isEmpty() && Integer.parseInt(word) >= 1) {
                count = Optional.of(Integer.parseInt(word));
            } else {
                return usage("/history [#room] [n], n a whole number from 1");
            }
        }
        return new History(room, count);
    }

    private static ChatInput topic(String rest) {
        if (rest.isEmpty()) {
            return new Topic(Optional.empty(), Optional.empty());
        }
        if (rest.startsWith("#")) {
            String[] words = rest.split(" ", 2);
            Optional<String> text = words.length > 1 ? optional(words[1].strip()) : Optional.empty();
            return new Topic(Optional.of(words[0]), text);
        }
        return new Topic(Optional.empty(), Optional.of(rest));
    }

    private static ChatInput send(String rest) {
        String[] words = rest.split(" ", 2);
        if (words.length < 2 || words[1].isBlank()) {
            return usage("/send <nick or #room> <path>");
        }
        return new Send(words[0], words[1].strip());
    }

    private static ChatInput get(String rest) {
        String[] words = rest.split(" ", 2);
        if (words[0].isEmpty()) {
            return usage("/get <file-id> [dir]");
        }
        return new Get(words[0], words.length > 1 ? optional(words[1].strip()) : Optional.empty());
    }

    private static List<String> words(String rest) {
        return rest.isEmpty() ? List.of() : List.of(rest.split(" +"));
    }

    private static Optional<String> optional(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static Invalid usage(String form) {
        return new Invalid("Usage: " + form);
    }
}
