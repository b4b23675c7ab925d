package dev.parley.chat.room;

import dev.parley.core.spi.Directory.RoomListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Other plugins' {@link RoomListener}s, told by {@link Room} after a change and outside its lock: a listener is
 * plugin code this plugin does not own, and must neither run under the room's lock nor break a JOIN or PART.
 */
public final class RoomListeners {
    private static final Logger log = LoggerFactory.getLogger(RoomListeners.class);

    private final List<RoomListener> listeners = new CopyOnWriteArrayList<>();

    public void add(RoomListener listener) {
        listeners.add(listener);
    }

    void joined(Room room, Member member) {
        tell(l -> l.joined(room.name().display(), member.session()), "joined", room);
    }

    void parted(Room room, Member member) {
        tell(l -> l.parted(room.name().display(), member.session()), "parted", room);
    }

    void emptied(Room room) {
        tell(l -> l.emptied(room.name().display()), "emptied", room);
    }

    private void tell(Consumer<RoomListener> call, String what, Room room) {
        for (RoomListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.error("room listener {} failed on {} of {}", listener, what, room, e);
            }
        }
    }
}
