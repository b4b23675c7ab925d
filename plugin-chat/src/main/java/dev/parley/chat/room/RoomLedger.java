package dev.parley.chat.room;

import dev.parley.chat.name.Name;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Session;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Every room as the servers that share it see them: who is in which room, each room's topic, and where its
 * messages and events go. Chosen once at start: {@code LocalRoomLedger} on a single server, the cluster's
 * ({@code dev.parley.chat.cluster}) when servers run as one. Commands and rooms call this interface only, so a
 * verb behaves alike on both (see the chat contract tests).
 *
 * <p>A {@link Room} on this server holds only its members here and calls this ledger, under its lock, for
 * every change; the ledger records it and tells the room's members, on every server that has some, in the
 * room's one order. The single server's ledger sends at once to the room's members here; a cluster's appends to
 * the room's shared log, and every server, this one included, delivers the log in its order
 * ({@link Room#deliver}).
 */
public interface RoomLedger {

    /**
     * The name the room is shown under (its first creator's spelling), so that every server shows a room
     * alike; the given name when the room is new. Asked before the room opens here.
     */
    Name shownAs(Name name);

    /** The room's first member here joined: start receiving the room's events from other servers. */
    void opened(Room room);

    /** The room's last member here left: stop receiving its events. */
    void closed(Room room);

    /** Records the member (already in the room here) and tells the room's other members {@code JOINED}. */
    void joined(Room room, Member member);

    /** Forgets the member (already out of the room here) and tells the room's remaining members {@code LEFT}. */
    void left(Room room, Member member, String reason);

    /**
     * Forgets the member (already out of the room here, and sent the event) and tells the room's remaining
     * members the {@code KICKED} event.
     */
    void kicked(Room room, Member member, Frame event);

    /**
     * An operator's KICK of a member that {@link #find} lists but this server does not hold: the server holding
     * it removes it as {@link Room#kick} would (the member gets {@code KICKED} at once, the room in its order).
     * A single server holds every member, so there it only means that the member left meanwhile: nothing to do.
     */
    void kickElsewhere(String roomKey, Name nick, String by, String reason);

    /** Records the topic (null: none) and tells the room's other members {@code TOPIC}. */
    void topic(Room room, Member by, String text);

    /**
     * Numbers and keeps the message without waiting, and sends it, with its number as msgid, to every member of
     * the room but the sender, in msgid order. One session's messages are numbered in the order of the calls.
     *
     * @return completes once the message was kept (and, on a single server, sent), or exceptionally (with the
     *         store's {@link dev.parley.core.spi.store.StoreUnavailableException} when the store could not keep
     *         it) when it was not, and so reaches nobody
     */
    CompletionStage<Void> say(Room room, Member from, String text);

    /**
     * True when this ledger numbers the rooms' messages itself (a cluster's shared logs, whose servers then commit
     * them to the shared store), false when each room numbers them after the
     * {@link dev.parley.core.spi.store.MessageStore}'s last msgid. Either way the store keeps the history.
     */
    boolean numbersMessages();

    /**
     * Tells every member of the room on every server the event (moderation's {@code GRANTED}, {@code CHANGED},
     * {@code BANNED}), in the room's order; none when the room has no members anywhere.
     */
    void announce(String roomKey, Frame event);

    /** Tells every other server sharing the rooms that the room's moderation state changed in the store. */
    void moderationChanged(String roomKey);

    /**
     * Calls the listener with the key of every room whose moderation state another server (or this) changed;
     * never on a single server, where this server made every change.
     */
    void onModerationChanged(Consumer<String> listener);

    /**
     * The room's members that other servers hold, as stand-ins whose {@code send} reaches them there (for
     * core's Directory: file offers to a room); none on a single server.
     */
    List<Session> remoteMembers(String roomKey);

    /** The room as every server sees it, if it has members anywhere. */
    Optional<View> find(String key);

    /** Every room with members anywhere, ordered by key. */
    List<View> all();

    /**
     * A room as every server sees it.
     *
     * @param display  the room's name as shown
     * @param members  nicks of its members, in the order they joined
     * @param topic    its topic, or null
     * @param sessions the members' sessions, in the same order, when this server holds every one of them (a
     *                 single server); empty otherwise. WHO shows roles only with them: another server's session
     *                 shows no account here.
     */
    record View(String display, List<String> members, String topic, List<Session> sessions) {
        public View {
            members = List.copyOf(members);
            sessions = List.copyOf(sessions);
            if (!sessions.isEmpty() && sessions.size() != members.size()) {
                throw new IllegalArgumentException(members.size() + " members but " + sessions.size() + " sessions");
            }
        }

        /** A view of members some of which other servers hold. */
        public View(String display, List<String> members, String topic) {
            this(display, members, topic, List.of());
        }
    }
}
