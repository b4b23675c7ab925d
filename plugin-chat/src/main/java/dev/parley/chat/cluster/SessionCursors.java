package dev.parley.chat.cluster;

import dev.parley.chat.room.Member;
import dev.parley.chat.room.Room;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.cluster.SharedMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * How far each session of this server got, kept in the cluster so that another server can take a session
 * over when this one dies: map {@code parley.chat.cursors}, key {@code node/session}, value the nick and then
 * a few <em>checkpoints</em>, oldest first, each {@code <seq> @direct=<n> <room>=<log sequence> ...}: the
 * session's {@link Session#lastSeq()} and, for this server's direct log and each of the session's rooms, the
 * last log entry handed over before that seq was read. A client that read up to seq L therefore has every room entry up to the positions of any checkpoint
 * with seq ≤ L; the server taking over replays from there (entries between that checkpoint and L arrive
 * twice). Written every flush period for the sessions whose line changed, in one batch.
 */
final class SessionCursors {
    /** Checkpoints kept per session; older ones are thinned out, so they reach further back sparsely. */
    static final int KEPT = 24;

    private final SharedMap cursors;
    private final String node;
    private final Supplier<List<Member>> locals;
    private final LongSupplier directThrough;
    /** Per local session id: its checkpoints, oldest first, and the value last written. Flusher thread only. */
    private final Map<Long, List<String>> lines = new ConcurrentHashMap<>();
    private final Map<Long, String> written = new ConcurrentHashMap<>();

    /** Key of the position in this server's direct log (WHISPER, FILE) among the room keys, which start with #. */
    static final String DIRECT = "@direct";

    SessionCursors(SharedMap cursors, String node, Supplier<List<Member>> locals, LongSupplier directThrough) {
        this.directThrough = directThrough;
        this.cursors = cursors;
        this.node = node;
        this.locals = locals;
    }

    /** Records a checkpoint for every local session whose position moved; one batch write to the cluster. */
    synchronized void flush() {
        Map<String, String> changed = new HashMap<>();
        for (Member member : locals.get()) {
            long id = member.session().id();
            String line = checkpoint(member, directThrough.getAsLong());
            List<String> kept = lines.computeIfAbsent(id, k -> new ArrayList<>());
            if (kept.isEmpty() || !kept.get(kept.size() - 1).equals(line)) {
                kept.add(line);
                thin(kept);
            }
            String value = member.nick().display() + "\n" + String.join("\n", kept);
            if (!value.equals(written.get(id))) {
                written.put(id, value);
                changed.put(key(node, id), value);
            }
        }
        if (!changed.isEmpty()) {
            cursors.putAll(changed);
        }
    }

    /** The session ended here for good: its record goes. */
    synchronized void ended(Session session) {
        lines.remove(session.id());
        if (written.remove(session.id()) != null) {
            cursors.delete(key(node, session.id()));
        }
    }

    /** Positions first, then the seq: every entry up to those positions has a seq at most that one. */
    static String checkpoint(Member member, long direct) {
        StringBuilder rooms = new StringBuilder().append(' ').append(DIRECT).append('=').append(direct);
        for (Room room : member.rooms()) {
            rooms.append(' ').append(room.name().key()).append('=').append(room.deliveredThrough(member));
        }
        return member.session().lastSeq() + rooms.toString();
    }

    /** Keeps the newest half dense and halves the density of the older half when full. */
    static void thin(List<String> kept) {
        if (kept.size() <= KEPT) {
            return;
        }
        List<String> older = kept.subList(0, kept.size() / 2);
        List<String> sparse = new ArrayList<>();
        for (int i = 0; i < older.size(); i += 2) {
            sparse.add(older.get(i));
        }
        older.clear();
        kept.addAll(0, sparse);
    }

    static String key(String node, long sessionId) {
        return node + "/" + sessionId;
    }

    /**
     * A session's record as read back by the server taking it over.
     *
     * @param nick        the nick it had at the last flush
     * @param checkpoints seq to room positions, oldest first
     */
    record Cursor(String nick, List<Checkpoint> checkpoints) {

        /** @param positions room key to the last log sequence handed over before {@code seq} was read */
        record Checkpoint(long seq, Map<String, Long> positions) {
        }

        static Cursor parse(String value) {
            String[] lines = value.split("\n");
            List<Checkpoint> checkpoints = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String[] fields = lines[i].split(" ");
                Map<String, Long> positions = new LinkedHashMap<>();
                for (int j = 1; j < fields.length; j++) {
                    int eq = fields[j].lastIndexOf('=');
                    positions.put(fields[j].substring(0, eq), Long.parseLong(fields[j].substring(eq + 1)));
                }
                checkpoints.add(new Checkpoint(Long.parseLong(fields[0]), positions));
            }
            return new Cursor(lines[0], checkpoints);
        }

        /**
         * The newest checkpoint a client that read up to {@code lastSeq} is past (the newest of all without
         * one); empty when it read less than the oldest kept.
         */
        Optional<Checkpoint> startFor(OptionalLong lastSeq) {
            Checkpoint best = null;
            for (Checkpoint c : checkpoints) {
                if (lastSeq.isEmpty() || c.seq() <= lastSeq.getAsLong()) {
                    best = c;
                }
            }
            return Optional.ofNullable(best);
        }
    }
}
