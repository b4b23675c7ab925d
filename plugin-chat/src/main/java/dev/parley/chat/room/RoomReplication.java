package dev.parley.chat.room;

import dev.parley.chat.name.Name;
import dev.parley.core.protocol.Frame;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A room's life beyond this server, when servers run as a cluster. A single server has none, and its rooms
 * then keep everything in memory under their own lock, exactly as without a cluster.
 *
 * <p>With a cluster, a room on this server holds only its local members; this interface records membership
 * cluster-wide, numbers messages in a shared log, and has every server, this one included, deliver the room's
 * messages and its {@code JOINED}, {@code LEFT} and {@code TOPIC} events to its members in one order
 * ({@link Room#deliver}); the room then sends none of them itself.
 */
public interface RoomReplication {

    /**
     * The name the cluster shows the room under (its first creator's spelling), so that every server shows a
     * room alike; the given name when the room is new.
     */
    Name shownAs(Name name);

    /** The room's first local member joined: start receiving the room's events from other servers. */
    void opened(Room room);

    /** The room's last local member left: stop receiving its events. */
    void closed(Room room);

    /** Records the member cluster-wide and tells the room's other members {@code JOINED}. */
    void joined(Room room, Member member);

    /** Forgets the member cluster-wide and tells the room's remaining members {@code LEFT}. */
    void left(Room room, Member member, String reason);

    /** Forgets the member cluster-wide and tells the room's remaining members the {@code KICKED} event. */
    void kicked(Room room, Member member, Frame event);

    /**
     * An operator's KICK of a member connected to another server: that server removes it as
     * {@link Room#kick} would (the member gets {@code KICKED} at once, the room in its order).
     */
    void kickElsewhere(String roomKey, Name nick, String by, String reason);

    /** Stores the topic (null: none) cluster-wide and tells the room's other members {@code TOPIC}. */
    void topic(Room room, Member by, String text);

    /**
     * Appends the message to the room's shared log without waiting; every server, this one included, then
     * delivers it to its members with the msgid the log's number gives it. One session's messages are appended
     * in the order of the calls.
     *
     * @return completes once the cluster accepted the message and the shared store committed it, or exceptionally
     *         (a {@link dev.parley.core.spi.store.StoreUnavailableException} when the store did not keep it)
     */
    CompletionStage<Void> say(Room room, Member from, String text, String time);

    /**
     * Tells every member of the room on every server the event (moderation's {@code GRANTED}, {@code CHANGED},
     * {@code BANNED}), in the room's order; none when the room has no members anywhere.
     */
    void announce(String roomKey, Frame event);

    /** Tells every server that the room's moderation state (roles, settings, bans) changed in the store. */
    void moderationChanged(String roomKey);

    /** Calls the listener with the key of every room whose moderation state another server (or this) changed. */
    void onModerationChanged(java.util.function.Consumer<String> listener);

    /** The room as the whole cluster sees it, if it exists anywhere. */
    Optional<View> find(String key);

    /** Every room of the cluster, ordered by key. */
    List<View> all();

    /**
     * A room as the cluster sees it.
     *
     * @param display the room's name as shown
     * @param members nicks of its members, in the order they joined
     * @param topic   its topic, or null
     */
    record View(String display, List<String> members, String topic) {
        public View {
            members = List.copyOf(members);
        }
    }
}
