package dev.parley.bench.soak;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Judges a soak from what the clients recorded. A message is its sender and number; its msgid is what the
 * receivers saw with it. Violations (each one makes the run fail):
 * <ul>
 *   <li><b>lost</b>: a message the sender got {@code OK SAY} for that a member of the room did not receive
 *       (that member's own messages aside). A member whose session was lost is excused for the msgids between
 *       the last it received before the loss and the first after it rejoined, and for messages nobody received
 *       that were sent while it was away; the loss itself is a violation.
 *       An acknowledged whisper its target did not receive is lost the same way.</li>
 *   <li><b>reordered</b>: a member received a msgid lower than one it had received before (not a copy of
 *       one it had), or one sender's messages in a room got msgids out of the order it sent them in.</li>
 *   <li><b>msgid reuse</b>: two different messages under one msgid of a room, as seen by any receivers.</li>
 *   <li><b>session lost</b>: a client's {@code RESUME} was refused and it had to register anew, or it was not
 *       connected at the end.</li>
 *   <li><b>phantom LEFT</b>, <b>phantom JOINED</b>: once the traffic started, a client saw another leave or join a
 *       room although that one's session was not lost then (a second before its outage to five seconds after it
 *       rejoined): a session that is resumed or taken over must look to the others as if nothing happened.</li>
 * </ul>
 * Reported without failing: duplicate deliveries (a member received a msgid twice, as a cluster {@code RESUME}
 * may replay the last ~100 ms) and messages run twice (one sender's message under two msgids: a {@code SAY}
 * resent after its connection broke before the answer, which the protocol allows).
 */
final class Checker {
    /** Detail lines kept per kind of violation: enough to debug, bounded. */
    private static final int DETAILS = 200;

    private final SoakSettings settings;
    private final List<SoakClient> clients;
    private final Map<String, List<String>> details = new LinkedHashMap<>();
    private final Map<String, Integer> violations = new LinkedHashMap<>();

    Checker(SoakSettings settings, List<SoakClient> clients) {
        this.settings = settings;
        this.clients = clients;
    }

    /** One row of the table. */
    static final class Row {
        final String name;
        int members;
        long sent;
        long acked;
        long refused;
        long unanswered;
        long delivered;
        long lost;
        long lostDeliveries;
        long excused;
        long duplicates;
        long ranTwice;
        long reordered;
        long reused;

        Row(String name) {
            this.name = name;
        }

        void add(Row o) {
            members += o.members;
            sent += o.sent;
            acked += o.acked;
            refused += o.refused;
            unanswered += o.unanswered;
            delivered += o.delivered;
            lost += o.lost;
            lostDeliveries += o.lostDeliveries;
            excused += o.excused;
            duplicates += o.duplicates;
            ranTwice += o.ranTwice;
            reordered += o.reordered;
            reused += o.reused;
        }
    }

    SoakReport check(List<Disruption> disruptions) {
        List<Row> rows = new ArrayList<>();
        Row total = new Row("total");
        for (int room = 0; room < settings.rooms(); room++) {
            Row row = room(room);
            rows.add(row);
            total.add(row);
        }
        Row whispers = whispers();
        rows.add(whispers);
        total.add(whispers);
        sessions();
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (Disruption.Kind k : Disruption.Kind.values()) {
            kinds.put(k.label, 0);
        }
        disruptions.forEach(d -> kinds.merge(d.kind().label, 1, Integer::sum));
        return new SoakReport(table(rows, total, kinds, disruptions.size()), violations, details, kinds);
    }

    private void violation(String kind, String detail) {
        violations.merge(kind, 1, Integer::sum);
        List<String> lines = details.computeIfAbsent(kind, k -> new ArrayList<>());
        if (lines.size() < DETAILS) {
            lines.add(detail);
        }
    }

    private Row room(int room) {
        String name = SoakClient.roomName(room);
        Row row = new Row(name);
        List<SoakClient> members = clients.stream().filter(c -> contains(c.rooms, room)).toList();
        row.members = members.size();
        Map<Integer, Integer> payloadOf = new HashMap<>();     // msgid -> payload
        Map<Integer, TreeSet<Integer>> msgidsOf = new HashMap<>(); // payload -> msgids
        Map<SoakClient, Set<Integer>> receivedBy = new HashMap<>();
        Map<SoakClient, List<int[]>> excusedRanges = new HashMap<>();
        for (SoakClient c : members) {
            synchronized (c) {
                IntList ids = c.receivedIds.get(room);
                IntList payloads = c.receivedPayloads.get(room);
                Map<Integer, Integer> seen = new HashMap<>(); // msgid -> payload, at this member
                Set<Integer> got = new HashSet<>();
                List<int[]> excused = new ArrayList<>();
                int last = 0;
                for (int i = 0; i < ids.size(); i++) {
                    int msgid = ids.get(i);
                    if (msgid == SoakClient.LOST_MARK) {
                        int next = Integer.MAX_VALUE;
                        for (int j = i + 1; j < ids.size(); j++) {
                            if (ids.get(j) != SoakClient.LOST_MARK) {
                                next = ids.get(j);
                                break;
                            }
                        }
                        excused.add(new int[] {last, next});
                        continue;
                    }
                    int payload = payloads.get(i);
                    Integer before = payloadOf.putIfAbsent(msgid, payload);
                    if (before != null && before != payload) {
                        row.reused++;
                        violation("msgid reuse", name + " msgid " + msgid + " carried " + SoakClient.describe(before)
                                + " and, at client " + c.index + ", " + SoakClient.describe(payload));
                    }
                    msgidsOf.computeIfAbsent(payload, p -> new TreeSet<>()).add(msgid);
                    Integer had = seen.putIfAbsent(msgid, payload);
                    if (had != null && had != payload) {
                        continue; // one msgid, two messages: counted as reuse above
                    }
                    if (had != null) {
                        row.duplicates++;
                        details.computeIfAbsent("duplicate deliveries (not violations)", k -> new ArrayList<>());
                        List<String> dup = details.get("duplicate deliveries (not violations)");
                        if (dup.size() < DETAILS) {
                            dup.add(name + " msgid " + msgid + " (" + SoakClient.describe(payload) + ") again at client "
                                    + c.index);
                        }
                        continue;
                    }
                    if (msgid < last) {
                        row.reordered++;
                        violation("reordered", name + " client " + c.index + " received msgid " + msgid + " ("
                                + SoakClient.describe(payload) + ") after msgid " + last);
                    }
                    last = Math.max(last, msgid);
                    got.add(payload);
                    row.delivered++;
                }
                receivedBy.put(c, got);
                excusedRanges.put(c, excused);
            }
        }
        for (Map.Entry<Integer, TreeSet<Integer>> e : msgidsOf.entrySet()) {
            if (e.getValue().size() > 1) {
                row.ranTwice++;
                List<String> twice = details.computeIfAbsent("messages run twice (not violations)", k -> new ArrayList<>());
                if (twice.size() < DETAILS) {
                    twice.add(name + " " + SoakClient.describe(e.getKey()) + " under msgids " + e.getValue());
                }
            }
        }
        for (SoakClient sender : members) {
            int lastMsgid = 0;
            int lastSeq = 0;
            synchronized (sender) {
                for (int i = 0; i < sender.sentTarget.size(); i++) {
                    if (sender.sentTarget.get(i) != room) {
                        continue;
                    }
                    int seq = i + 1;
                    int payload = SoakClient.payload(sender.index, seq);
                    int status = sender.sentStatus.get(i);
                    row.sent++;
                    switch (status) {
                        case SoakClient.ACKED -> row.acked++;
                        case SoakClient.REFUSED -> row.refused++;
                        default -> row.unanswered++;
                    }
                    TreeSet<Integer> msgids = msgidsOf.get(payload);
                    if (msgids != null) {
                        int msgid = msgids.first();
                        if (msgid < lastMsgid) {
                            row.reordered++;
                            violation("reordered", name + " sender " + sender.index + ": seq " + seq + " got msgid "
                                    + msgid + " below seq " + lastSeq + "'s msgid " + lastMsgid);
                        }
                        if (msgid > lastMsgid) {
                            lastMsgid = msgid;
                            lastSeq = seq;
                        }
                    }
                    if (status != SoakClient.ACKED) {
                        continue;
                    }
                    boolean lostHere = false;
                    for (SoakClient member : members) {
                        if (member == sender || receivedBy.get(member).contains(payload)) {
                            continue;
                        }
                        if (msgids != null ? excused(excusedRanges.get(member), msgids.first())
                                : lostAt(member, sender.sentAt.get(i))) {
                            row.excused++;
                            continue;
                        }
                        row.lostDeliveries++;
                        lostHere = true;
                        violation("lost", name + " " + SoakClient.describe(payload) + " (acknowledged; msgid "
                                + (msgids == null ? "never seen by anyone" : msgids.toString()) + ") missing at client "
                                + member.index);
                    }
                    if (lostHere) {
                        row.lost++;
                    }
                }
            }
        }
        return row;
    }

    /**
     * Whether {@code member}'s session was lost around {@code at}: from a second before its outage began (the
     * server ended the session before the client noticed) to five seconds after it had rejoined its rooms.
     */
    private static boolean lostAt(SoakClient member, int at) {
        synchronized (member) {
            for (int[] w : member.lossWindows) {
                if (at >= w[0] - 1000 && at <= w[1] + 5000) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean excused(List<int[]> ranges, int msgid) {
        for (int[] r : ranges) {
            if (msgid > r[0] && msgid < r[1]) {
                return true;
            }
        }
        return false;
    }

    private Row whispers() {
        Row row = new Row("whispers");
        row.members = clients.size();
        Map<Integer, Map<Integer, Integer>> counts = new HashMap<>(); // target -> payload -> times
        for (SoakClient c : clients) {
            Map<Integer, Integer> got = new HashMap<>();
            synchronized (c) {
                for (int i = 0; i < c.whispers.size(); i++) {
                    got.merge(c.whispers.get(i), 1, Integer::sum);
                }
            }
            counts.put(c.index, got);
            row.delivered += got.size();
            for (Map.Entry<Integer, Integer> e : got.entrySet()) {
                row.duplicates += e.getValue() - 1;
            }
        }
        for (SoakClient sender : clients) {
            synchronized (sender) {
                for (int i = 0; i < sender.sentTarget.size(); i++) {
                    int target = sender.sentTarget.get(i);
                    if (target >= 0) {
                        continue;
                    }
                    int to = -target - 1;
                    int status = sender.sentStatus.get(i);
                    row.sent++;
                    switch (status) {
                        case SoakClient.ACKED -> row.acked++;
                        case SoakClient.REFUSED -> row.refused++;
                        default -> row.unanswered++;
                    }
                    int payload = SoakClient.payload(sender.index, i + 1);
                    if (status != SoakClient.ACKED || counts.get(to).containsKey(payload)) {
                        continue;
                    }
                    if (lostAt(clients.get(to), sender.sentAt.get(i))) {
                        row.excused++;
                        continue;
                    }
                    row.lost++;
                    row.lostDeliveries++;
                    violation("lost", "whisper " + SoakClient.describe(payload) + " (acknowledged) missing at client " + to);
                }
            }
        }
        return row;
    }

    private void sessions() {
        for (SoakClient observer : clients) {
            List<SoakClient.RoomEvent> events;
            synchronized (observer) {
                events = List.copyOf(observer.roomEvents);
            }
            for (SoakClient.RoomEvent e : events) {
                if (e.subject() < clients.size() && !lostAt(clients.get(e.subject()), e.at())) {
                    violation("phantom " + e.verb(), "client " + observer.index + " saw " + e.verb() + " " + e.room()
                            + " soak" + e.subject() + (e.text().isEmpty() ? "" : " :" + e.text()) + " at " + e.clock()
                            + ", but soak" + e.subject() + "'s session was not lost");
                }
            }
        }
        for (SoakClient c : clients) {
            synchronized (c) {
                for (String loss : c.sessionLosses) {
                    violation("session lost", "client " + c.index + " at " + loss + " (RESUME refused)");
                }
            }
            if (!c.endedAlive) {
                violation("session lost", "client " + c.index + " not connected at the end: "
                        + (c.endCause() != null ? c.endCause() : "still reconnecting"));
            }
        }
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private String table(List<Row> rows, Row total, Map<String, Integer> kinds, int disruptions) {
        StringBuilder t = new StringBuilder();
        t.append("| room | members | sent | acked | refused | unanswered | delivered | lost | lost deliveries"
                + " | excused | duplicated | ran twice | reordered | msgid reuse |\n");
        t.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            t.append(row(r));
        }
        t.append(row(total));
        t.append('\n').append("Disruptions: ").append(disruptions);
        kinds.forEach((k, n) -> t.append(", ").append(k).append(' ').append(n));
        t.append('\n');
        int resumes = 0;
        int reconnects = 0;
        int left = 0;
        int lostSessions = 0;
        int foreign = 0;
        Map<String, Integer> refusals = new LinkedHashMap<>();
        for (SoakClient c : clients) {
            synchronized (c) {
                resumes += c.resumes;
                reconnects += c.reconnects;
                left += c.leftSeen;
                lostSessions += c.sessionLosses.size();
                foreign += c.foreign;
                c.refusals.forEach((code, n) -> refusals.merge(code, n, Integer::sum));
            }
        }
        t.append(String.format(Locale.ROOT, "Clients: %d, reconnection attempts %d, resumed %d, sessions lost %d,"
                + " LEFT events seen %d, messages not of this run %d, refusals %s%n", clients.size(), reconnects, resumes,
                lostSessions, left, foreign, refusals.isEmpty() ? "none" : refusals));
        return t.toString();
    }

    private static String row(Row r) {
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |%n",
                r.name, r.members, r.sent, r.acked, r.refused, r.unanswered, r.delivered, r.lost, r.lostDeliveries,
                r.excused, r.duplicates, r.ranTwice, r.reordered, r.reused);
    }
}
