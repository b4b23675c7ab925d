package dev.parley.chat.cluster;

import dev.parley.core.spi.cluster.SharedLog;

/**
 * The two shapes of an entry of a room's log, written and read in this one place: a message, which the log
 * numbers, and everything else (room events and commit markers), which it does not. Fields are separated by LF
 * ({@link Wire}); the last field keeps any further LF.
 */
final class RoomLogEntry {
    private RoomLogEntry() {
    }

    /**
     * A message: {@code node LF session LF nick LF time LF offset LF text}. Its msgid is the offset its node
     * numbered the room from plus the log's number, so every node gives it the same msgid even when their
     * offsets differ for a while (after a lost log, see ClusterRooms#renumber).
     *
     * @param node    the node whose session said it
     * @param session that session's id
     * @param nick    the nick as it was shown when said
     * @param time    RFC 3339, as in the {@code time} tag
     */
    record Message(String node, long session, String nick, String time, long offset, String text) {
        static Message of(SharedLog.Entry entry) {
            String[] f = Wire.fields(entry.value(), 6);
            return new Message(f[0], Long.parseLong(f[1]), f[2], f[3], Long.parseLong(f[4]), f[5]);
        }

        String wire() {
            return Wire.join(node, session, nick, time, offset, text);
        }

        long msgid(long number) {
            return offset + number;
        }
    }

    /**
     * Anything else: {@code origin LF caused-by LF body}, the body an event's protocol line or a commit marker.
     *
     * @param origin   the node that appended it
     * @param causedBy the session of that node that caused it (which does not receive it), or -1 for none
     */
    record Unnumbered(String origin, long causedBy, String body) {
        static Unnumbered of(SharedLog.Entry entry) {
            String[] f = Wire.fields(entry.value(), 3);
            return new Unnumbered(f[0], Long.parseLong(f[1]), f[2]);
        }

        String wire() {
            return Wire.join(origin, causedBy, body);
        }
    }
}
