package dev.parley.chat.room;

import dev.parley.chat.name.Name;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The rooms of a single server: this server holds every member, so the rooms here are all there is. Each event
 * goes at once, under the room's lock, to the room's members here; each room numbers its messages after the
 * store's last msgid and sends them once the store committed them ({@link Room#append}).
 */
final class LocalRoomLedger implements RoomLedger {
    private final RoomRegistry rooms;

    LocalRoomLedger(RoomRegistry rooms) {
        this.rooms = rooms;
    }

    @Override
    public Name shownAs(Name name) {
        return name; // asked only when no room of that key is open, so no other spelling is shown
    }

    @Override
    public void opened(Room room) {
    }

    @Override
    public void closed(Room room) {
    }

    @Override
    public void joined(Room room, Member member) {
        room.tell(Frame.of("JOINED").params(room.name().display(), member.nick().display()).build(), member);
    }

    @Override
    public void left(Room room, Member member, String reason) {
        Frame.Builder left = Frame.of("LEFT").params(room.name().display(), member.nick().display());
        if (reason != null) {
            left.trailing(reason);
        }
        room.tell(left.build(), null);
    }

    @Override
    public void kicked(Room room, Member member, Frame event) {
        room.tell(event, null);
    }

    @Override
    public void kickElsewhere(String roomKey, Name nick, String by, String reason) {
        // This server holds every member: one not found here left the room meanwhile, and nobody else has it.
    }

    @Override
    public void topic(Room room, Member by, String text) {
        room.tell(Frame.of("TOPIC").params(room.name().display(), by.nick().display())
                .trailing(text == null ? "" : text).build(), by);
    }

    @Override
    public CompletionStage<Void> say(Room room, Member from, String text) {
        return room.append(from, text);
    }

    @Override
    public boolean numbersMessages() {
        return false;
    }

    @Override
    public void announce(String roomKey, Frame event) {
        rooms.find(roomKey).ifPresent(room -> room.tell(event, null));
    }

    @Override
    public void moderationChanged(String roomKey) {
        // No other server caches this room's moderation state.
    }

    @Override
    public void onModerationChanged(Consumer<String> listener) {
        // Every change is this server's own, and whoever made it acted on it already.
    }

    @Override
    public List<Session> remoteMembers(String roomKey) {
        return List.of();
    }

    @Override
    public Optional<View> find(String key) {
        // A room whose last member is leaving may still be listed for a moment: it has no members anywhere.
        return rooms.find(key).map(LocalRoomLedger::view).filter(view -> !view.members().isEmpty());
    }

    @Override
    public List<View> all() {
        List<View> all = new ArrayList<>();
        for (Room room : rooms.all()) {
            View view = view(room);
            if (!view.members().isEmpty()) {
                all.add(view);
            }
        }
        return all;
    }

    private static View view(Room room) {
        List<Member> members = room.members();
        return new View(room.name().display(), members.stream().map(m -> m.nick().display()).toList(),
                room.topic(), members.stream().map(Member::session).toList());
    }
}
