package dev.parley.chat.room;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.parley.chat.name.Name;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The room moderation settings of {@code parley.chat} (see its reference.conf).
 *
 * @param reservedRooms   keys of the rooms only server operators may CLAIM
 * @param kickRejoinDelay how long a kicked member cannot JOIN the room again
 */
public record ModerationSettings(Set<String> reservedRooms, Duration kickRejoinDelay) {
    public ModerationSettings {
        reservedRooms = Set.copyOf(reservedRooms);
        if (kickRejoinDelay.isNegative()) {
            throw new IllegalArgumentException("parley.chat.kick-rejoin-delay must not be negative");
        }
    }

    /**
     * Reads them from the {@code parley.chat} section, with its defaults applied.
     *
     * @throws IllegalArgumentException naming the key
     */
    public static ModerationSettings from(Config chat) {
        try {
            Set<String> reserved = new LinkedHashSet<>();
            for (String room : chat.getStringList("reserved-rooms")) {
                Optional<Name> name = Name.room(room);
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("parley.chat.reserved-rooms names '" + room + "': "
                            + Name.ROOM_FORM);
                }
                reserved.add(name.get().key());
            }
            return new ModerationSettings(reserved, chat.getDuration("kick-rejoin-delay"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("bad chat setting under parley.chat: " + e.getMessage(), e);
        }
    }
}
