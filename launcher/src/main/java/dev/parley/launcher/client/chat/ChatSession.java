package dev.parley.launcher.client.chat;

import dev.parley.core.protocol.Frame;
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
import dev.parley.client.Backoff;
import dev.parley.client.ConnectionException;
import dev.parley.client.ConnectionListener;
import dev.parley.client.DataLines;
import dev.parley.client.ParleyLink;
import dev.parley.client.Reply;
import dev.parley.launcher.client.display.SafeText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The chat client's state (nick, joined rooms, current room) and what each typed line does. Commands are
 * pipelined, so a script's {@code /join #lobby} and the line after it leave at once: the current room
 * changes when {@code /join} is sent and changes back if the server refuses it. Replies and events arrive
 * on the connection's dispatch thread, input on the caller's: state is guarded by {@code this}.
 */
final class ChatSession implements ConnectionListener {
    private static final int REJOIN_TIMEOUT_SECONDS = 10;
    private final ChatFormat format;
    private final ChatScreen screen;
    private final ChatFiles files;
    private ParleyLink link;
    private String nick;
    // Canonical (lower-case) name -> the name as shown; in join order, the last one joined at the end.
    private final Map<String, String> rooms = new LinkedHashMap<>();
    /**
     * The highest msgid shown per room (by key), guarded by this: a session taken over by another cluster
     * node may get the last few messages again, with their msgids; they are not shown twice. Forgotten when
     * the room is joined or left, since a room that emptied starts again at 1.
     */
    private final Map<String, Long> shownMsgid = new HashMap<>();
    /** The key given with /join, by room key: a rejoin after a reconnection needs it again. */
    private final Map<String, String> keys = new HashMap<>();
    /**
     * After /history: the room (by key) and the oldest msgid its answer showed (0 for none), so that /history
     * repeated in that room pages further back (HISTORY BEFORE it), also when typed before the answer came.
     * Guarded by this; any other input clears the room.
     */
    private String pagedRoom;
    private CompletableFuture<Long> pagedOldest;
    private String current;
    private volatile Consumer<ConnectionException> onClosed = cause -> { };
    private volatile Runnable onRoomChange = () -> { };
    private volatile Function<String, Optional<String>> nickChooser = refused -> Optional.empty();
    // Completes once the last command sent has been answered and shown: local lines queue behind it, so a
    // script's output keeps the order of its input.
    private CompletableFuture<?> shown = CompletableFuture.completedFuture(null);

    ChatSession(ChatFormat format, ChatScreen screen, ChatFiles files) {
        this.format = format;
        this.screen = screen;
        this.files = files;
    }

    /** Starts using a registered connection. */
    synchronized void attach(ParleyLink link, String nick) {
        this.link = link;
        this.nick = nick;
    }

    /** Called (on any thread) after the current room changed; the terminal redraws its prompt. */
    void onRoomChange(Runnable onRoomChange) {
        this.onRoomChange = onRoomChange;
    }

    /**
     * Asked, on the reconnecting thread, for another nick when ours was taken while the server had forgotten
     * us; empty gives up (the default, as a script has nobody to ask).
     */
    void nickChooser(Function<String, Optional<String>> chooser) {
        this.nickChooser = chooser;
    }

    /** Called once when the connection ends, with null after our own {@code /quit}. */
    void onClosed(Consumer<ConnectionException> onClosed) {
        this.onClosed = onClosed;
    }

    synchronized String currentRoom() {
        return current;
    }

    synchronized String nick() {
        return nick;
    }

    /**
     * Does what a typed line asks.
     *
     * @return false for {@code /quit}: the caller then quits, which waits for every reply
     */
    boolean handle(ChatInput input) {
        try {
            return dispatch(input);
        } catch (IllegalArgumentException e) {
            // Frame refuses what cannot travel: a control character, a name starting with ':'.
            local(format.error("Not sent: the protocol carries no control characters, and no name starting with ':'"));
            return true;
        }
    }

    private boolean dispatch(ChatInput input) {
        if (!(input instanceof History)) {
            synchronized (this) {
                pagedRoom = null;
            }
        }
        if (input instanceof Say say) {
            say(say.text());
        } else if (input instanceof Join join) {
            join(join.room(), join.key());
        } else if (input instanceof Part part) {
            part(part);
        } else if (input instanceof Msg msg) {
            request(Frame.of("TELL").param(msg.nick()).trailing(msg.text()).build(), ok -> {
                if (screen.interactive() || format.confirmsSent()) {
                    screen.show(format.ownWhisper(msg.nick(), msg.text()));
                }
            });
        } else if (input instanceof Who who) {
            inRoom(who.room(), "/who #room", this::who);
        } else if (input instanceof Rooms) {
            rooms();
        } else if (input instanceof History history) {
            inRoom(history.room(), "/history #room", room -> history(room, history));
        } else if (input instanceof Nick n) {
            request(Frame.of("NICK").param(n.nick()).build(), ok -> {
                synchronized (this) {
                    nick = ok.results().isEmpty() ? n.nick() : ok.results().get(0);
                }
                screen.show(format.notice("You are now known as " + SafeText.escape(nick())));
            });
        } else if (input instanceof Topic topic) {
            inRoom(topic.room(), "/topic #room", room -> topic(room, topic.text()));
        } else if (input instanceof Help) {
            ChatInputParser.HELP.forEach(this::local);
        } else if (input instanceof Quit) {
            return false;
        } else if (input instanceof Send send) {
            files.send(send.target(), send.path());
        } else if (input instanceof Files) {
            files.list();
        } else if (input instanceof Get get) {
            files.get(get.fileId(), get.dir());
        } else if (input instanceof Moderation moderation) {
            moderate(moderation);
        } else if (input instanceof Invalid invalid) {
            local(format.error(invalid.message()));
        }
        return true;
    }

    private void say(String text) {
        String room = currentRoom();
        if (room == null) {
            local(format.error("You are in no room yet: /join #room to enter one, or /msg <nick> <text>"
                    + " to whisper"));
            return;
        }
        request(Frame.of("SAY").param(room).trailing(text).build(), ok -> {
            if (screen.interactive() || format.confirmsSent()) {
                screen.show(format.ownMessage(room, nick(), text));
            }
        });
    }

    private void join(String room, Optional<String> key) {
        String previous;
        boolean wasJoined;
        synchronized (this) {
            key.ifPresentOrElse(k -> keys.put(key(room), k), () -> keys.remove(key(room)));
            previous = current;
            wasJoined = rooms.remove(key(room)) != null;
            rooms.put(key(room), room);
            if (!wasJoined) {
                shownMsgid.remove(key(room));
            }
            current = room;
        }
        onRoomChange.run();
        answered(link.request(joinFrame(room, key)), reply -> {
            if (reply.ok()) {
                String shown = reply.results().isEmpty() ? room : reply.results().get(0);
                synchronized (this) {
                    rooms.replace(key(room), shown);
                    if (key(room).equals(key(current))) {
                        current = shown;
                    }
                }
                onRoomChange.run();
                screen.show(format.notice((wasJoined ? "Now talking in " : "You joined ") + SafeText.escape(shown)));
            } else {
                synchronized (this) {
                    if (!wasJoined) {
                        rooms.remove(key(room));
                    }
                    if (key(room).equals(key(current))) {
                        current = rooms.containsValue(previous) ? previous : last();
                    }
                }
                onRoomChange.run();
                screen.show(format.error(joinRefused(room, reply)));
            }
        });
    }

    private static Frame joinFrame(String room, Optional<String> key) {
        return key.map(k -> Frame.of("JOIN").params(room, k).build()).orElseGet(() -> Frame.of("JOIN").param(room).build());
    }

    /** One line a person acts on: what the refusal means here, in the chat's own words where they differ. */
    static String joinRefused(String room, Reply reply) {
        String shown = SafeText.escape(room);
        return switch (String.valueOf(reply.code())) {
            case "BAD_KEY" -> "Cannot join " + shown + ": it needs a key; /join " + shown + " <key>"
                    + (reply.text() != null && reply.text().contains("wrong") ? " (that key is wrong)" : "") + " (BAD_KEY)";
            case "BANNED", "KICKED", "INVITE_ONLY" -> "Cannot join " + shown + ": "
                    + (reply.text() == null || reply.text().isBlank() ? reply.sentence()
                    : SafeText.escape(reply.text()) + " (" + reply.code() + ")");
            default -> reply.sentence();
        };
    }

    private void part(Part part) {
        String room;
        String next;
        synchronized (this) {
            room = part.room().orElse(current);
            if (room == null) {
                local(format.error("You are in no room; /part #room names one"));
                return;
            }
            rooms.remove(key(room));
            shownMsgid.remove(key(room));
            if (current != null && key(room).equals(key(current))) {
                current = last();
            }
            next = current;
        }
        onRoomChange.run();
        Frame.Builder frame = Frame.of("PART").param(room);
        part.reason().ifPresent(frame::trailing);
        request(frame.build(), ok -> screen.show(format.notice("You left " + SafeText.escape(room)
                + (next == null ? "" : "; now talking in " + SafeText.escape(next)))));
    }

    private void who(String room) {
        answered(link.request(Frame.of("WHO").param(room).build(), DataLines.verbs("MEMBER")), reply -> {
            if (!reply.ok()) {
                screen.show(format.error(reply.sentence()));
                return;
            }
            String members = reply.data().stream().map(m -> marker(m) + SafeText.escape(m.param(1)))
                    .collect(Collectors.joining(", "));
            screen.show(format.notice(SafeText.escape(room) + " (" + reply.data().size() + "): " + members));
        });
    }

    /** The role marker WHO's last parameter gives: ~ owner, @ op, + voice, nothing for a member. */
    static String marker(Frame member) {
        if (member.params().size() < 3) {
            return "";
        }
        return switch (member.param(2)) {
            case "owner" -> "~";
            case "op" -> "@";
            case "voice" -> "+";
            default -> "";
        };
    }

    /** Sends a moderation or account command, in the current room where it names none. */
    private void moderate(Moderation moderation) {
        Frame command = moderation.command();
        if (!command.params().isEmpty() && ChatInputParser.CURRENT_ROOM.equals(command.param(0))) {
            String room = currentRoom();
            if (room == null) {
                local(format.error("You are in no room: /join #room first, or name the room"));
                return;
            }
            List<String> params = new ArrayList<>(command.params());
            params.set(0, room);
            Frame.Builder b = Frame.of(command.verb()).params(params);
            if (command.trailing() != null) {
                b.trailing(command.trailing());
            }
            command = b.build();
        }
        String subject = command.params().isEmpty() ? "" : command.param(0);
        request(command, ok -> screen.show(format.notice(String.format(moderation.done(), SafeText.escape(subject))
                + (ok.results().size() > 1 ? ": " + SafeText.escape(String.join(" ", ok.results().subList(1,
                ok.results().size()))) : ""))));
    }

    private void rooms() {
        answered(link.request(Frame.of("ROOMS").build(), DataLines.verbs("ROOM")), reply -> {
            if (!reply.ok()) {
                screen.show(format.error(reply.sentence()));
                return;
            }
            List<String> lines = new ArrayList<>();
            lines.add(format.notice(reply.data().isEmpty() ? "No rooms yet; /join #room creates one"
                    : reply.data().size() + (reply.data().size() == 1 ? " room:" : " rooms:")));
            for (Frame room : reply.data()) {
                String topic = room.trailing() == null || room.trailing().isEmpty() ? ""
                        : "  " + SafeText.escape(room.trailing());
                lines.add("      " + SafeText.escape(room.param(0)) + " (" + SafeText.escape(room.param(1)) + ")" + topic);
            }
            lines.forEach(screen::show);
        });
    }

    /** The room's latest messages, or, when /history is repeated in the room, the page before those shown. */
    private void history(String room, History history) {
        CompletableFuture<Long> previous;
        synchronized (this) {
            previous = key(room).equals(pagedRoom) ? pagedOldest : CompletableFuture.completedFuture(0L);
        }
        // Waits for the page before (typed ahead, or piped, /history comes before its answer): its oldest msgid.
        long before;
        try {
            before = previous.get(REJOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            before = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Frame.Builder frame = Frame.of("HISTORY").param(room);
        if (before > 0) {
            frame.params("BEFORE", Long.toString(before));
        }
        history.count().ifPresent(n -> frame.param(Integer.toString(n)));
        CompletableFuture<Reply> answer = link.request(frame.build(),
                new DataLines(f -> f.verb().equals("MSG") && room.equalsIgnoreCase(f.param(0)), null));
        boolean further = before > 0;
        long shownBefore = before;
        CompletableFuture<Long> oldest = answer.handle((reply, failure) -> {
            if (failure != null || !reply.ok() || reply.data().isEmpty()) {
                return shownBefore;
            }
            String msgid = reply.data().get(0).tag("msgid");
            return msgid == null ? shownBefore : Long.parseLong(msgid);
        });
        synchronized (this) {
            pagedRoom = key(room);
            pagedOldest = oldest;
        }
        answered(answer, reply -> {
            if (!reply.ok()) {
                screen.show(format.error(reply.sentence()));
                return;
            }
            reply.data().forEach(line -> screen.show(format.event(line)));
            int count = reply.data().size();
            screen.show(format.notice(count == 0 && further ? "No older messages in " + SafeText.escape(room)
                    : "End of the history of " + SafeText.escape(room) + " (" + count
                    + (count == 1 ? " message" : " messages") + "; /history again for older ones)"));
        });
    }

    private void topic(String room, Optional<String> text) {
        Frame.Builder frame = Frame.of("TOPIC").param(room);
        text.ifPresent(frame::trailing);
        request(frame.build(), ok -> {
            String topic = ok.text();
            if (text.isPresent()) {
                screen.show(format.notice(text.get().isEmpty() ? "You cleared the topic of " + SafeText.escape(room)
                        : "You set the topic of " + SafeText.escape(room) + " to: " + SafeText.escape(text.get())));
            } else if (topic == null || topic.isEmpty()) {
                screen.show(format.notice(SafeText.escape(room) + " has no topic"));
            } else {
                screen.show(format.notice("Topic of " + SafeText.escape(room) + ": " + SafeText.escape(topic)));
            }
        });
    }

    private void inRoom(Optional<String> given, String form, Consumer<String> action) {
        String room = given.orElseGet(this::currentRoom);
        if (room == null) {
            local(format.error("You are in no room; name one: " + form));
        } else {
            action.accept(room);
        }
    }

    /** Sends a command; an error reply is shown as a sentence, an OK goes to {@code onOk}. */
    private void request(Frame command, Consumer<Reply> onOk) {
        answered(link.request(command), r -> {
            if (r.ok()) {
                onOk.accept(r);
            } else {
                screen.show(format.error(r.sentence()));
            }
        });
    }

    /** Shows a reply when it comes; later local lines wait for it. */
    private synchronized void answered(CompletableFuture<Reply> reply, Consumer<Reply> show) {
        shown = reply.thenAccept(show).exceptionally(failure -> null);
    }

    /** A line from the client itself, shown after the answers to the commands typed before it. */
    private synchronized void local(String line) {
        shown = shown.thenRun(() -> screen.show(line));
    }

    private String last() {
        String last = null;
        for (String shown : rooms.values()) {
            last = shown;
        }
        return last;
    }

    private static String key(String room) {
        return room == null ? "" : room.toLowerCase(Locale.ROOT);
    }

    // ---- events ----

    @Override
    public void event(Frame event) {
        if (shownBefore(event)) {
            return;
        }
        String line = format.event(event);
        if (line != null) {
            screen.show(line);
        }
    }

    @Override
    public void reconnecting(ConnectionException cause, int attempt, Duration delay) {
        if (attempt == 1) {
            screen.status(format.notice("Connection lost: " + SafeText.escape(cause.getMessage())));
        }
        screen.status(format.notice("reconnecting in " + Backoff.seconds(delay) + " (attempt " + attempt + ")"
                + (attempt > 1 ? ": " + SafeText.escape(cause.getMessage()) : "")));
    }

    @Override
    public void resumed() {
        screen.status(format.notice("Reconnected: same nick, same rooms; missed messages are above"));
    }

    @Override
    public Optional<String> anotherNick(String refused, Reply reply) {
        screen.show(format.error("Reconnected, but the nick " + SafeText.escape(refused) + " is no longer yours: "
                + reply.sentence()));
        return nickChooser.apply(refused);
    }

    /** The server forgot us (a restart, say): rejoin every room, in the order they were joined. */
    @Override
    public void reregistered(ParleyLink fresh, String nick) throws ConnectionException {
        List<String> joined;
        synchronized (this) {
            this.nick = nick;
            joined = new ArrayList<>(rooms.values());
            shownMsgid.clear(); // a new session: rooms may have started again at msgid 1
            pagedRoom = null;
        }
        List<String> back = new ArrayList<>();
        for (String room : joined) {
            Reply reply;
            try {
                Optional<String> key;
                synchronized (this) {
                    key = Optional.ofNullable(keys.get(key(room)));
                }
                reply = fresh.request(joinFrame(room, key)).get(REJOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof ConnectionException c ? c
                        : new ConnectionException("JOIN failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException | InterruptedException e) {
                throw new ConnectionException("no answer to JOIN " + room + " while reconnecting", e);
            }
            if (reply.ok()) {
                back.add(room);
            } else {
                screen.show(format.error("Cannot rejoin " + SafeText.escape(room) + ": " + reply.sentence()));
            }
        }
        screen.status(format.notice("Reconnected as " + SafeText.escape(nick) + " in a new session (the server"
                + " had lost the old one; messages sent meanwhile are gone)"
                + (back.isEmpty() ? "" : "; rejoined " + SafeText.escape(String.join(", ", back)))));
    }

    /** A room message whose msgid is not above the last one shown for its room: a repeat after a takeover. */
    private synchronized boolean shownBefore(Frame event) {
        String msgid = event.tag("msgid");
        if (!"MSG".equals(event.verb()) || msgid == null || event.param(0) == null) {
            return false;
        }
        long id;
        try {
            id = Long.parseLong(msgid);
        } catch (NumberFormatException e) {
            return false;
        }
        Long shown = shownMsgid.get(key(event.param(0)));
        if (shown != null && id <= shown) {
            return true;
        }
        shownMsgid.put(key(event.param(0)), id);
        return false;
    }

    @Override
    public void closed(ConnectionException cause) {
        onClosed.accept(cause);
    }
}
