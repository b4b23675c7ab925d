package dev.parley.bench.soak;

import dev.parley.client.Backoff;
import dev.parley.client.ConnectionException;
import dev.parley.client.ConnectionListener;
import dev.parley.client.ParleyLink;
import dev.parley.client.ReconnectingLink;
import dev.parley.client.Reply;
import dev.parley.client.Tls;
import dev.parley.core.protocol.Frame;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One soak client: a {@link ReconnectingLink} to one node with the other two as fallbacks, in its rooms. It
 * sends numbered texts ({@code s<client>.<seq>} in rooms, {@code w<client>.<seq>} as whispers) and records, as
 * ints, what it sent, how each was answered and every {@code MSG} and {@code WHISPER} it received; the same goes
 * line by line to {@code client-<n>.log} for reading a violation's story afterwards.
 *
 * <p>A message's identity is its sender and number ({@link #payload}); the sender never learns the msgid
 * ({@code OK SAY} carries none), the receivers do.
 */
final class SoakClient implements ConnectionListener {
    static final int PENDING = 0;
    static final int ACKED = 1;
    static final int REFUSED = 2;
    static final int FAILED = 3;
    /** Unanswered commands at most: a stalled node holds up this many, not the heap. */
    private static final int WINDOW = 10;
    /** Marks a re-registration in a room's received list: the session (and so the membership) was lost there. */
    static final int LOST_MARK = -1;

    final int index;
    final String nick;
    final int[] rooms;
    private final SoakSettings settings;
    private final BufferedWriter log;
    private boolean logClosed; // guarded by log
    private final AtomicInteger inFlight = new AtomicInteger();
    private ReconnectingLink link;

    // Guarded by this.
    /** Per sent number (index = seq - 1): target (room index, or -(client + 1) for a whisper) and status. */
    final IntList sentTarget = new IntList();
    final IntList sentStatus = new IntList();
    final Map<String, Integer> refusals = new TreeMap<>();
    /** Per room index: received msgids and payloads, in arrival order ({@link #LOST_MARK} msgid at a loss). */
    final Map<Integer, IntList> receivedIds = new TreeMap<>();
    final Map<Integer, IntList> receivedPayloads = new TreeMap<>();
    final IntList whispers = new IntList();
    final List<String> sessionLosses = new ArrayList<>();
    /** Per sent number: when it was sent ({@link #clock}). */
    final IntList sentAt = new IntList();
    /** Per lost session: from the start of the outage to the end of the rejoin ({@link #clock}). */
    final List<int[]> lossWindows = new ArrayList<>();
    /** JOINED and LEFT of soak clients seen once the traffic started (at most {@link #MAX_EVENTS}). */
    final List<RoomEvent> roomEvents = new ArrayList<>();
    private int outageStart = -1;
    int resumes;
    int reconnects;
    int leftSeen;
    int joinedSeen;
    int foreign;
    /** Whether the client was connected when the run ended ({@link #alive()} then), for the checker. */
    volatile boolean endedAlive;
    /** When the traffic started ({@link #clock}): JOINED and LEFT before it are the setup's. */
    volatile int trafficStart = Integer.MAX_VALUE;
    private static final int MAX_EVENTS = 10_000;
    private static final long ORIGIN = System.currentTimeMillis();

    /** A JOINED or LEFT of client {@code subject} that this client saw, and when. */
    record RoomEvent(int at, String clock, String verb, String room, int subject, String text) {
    }

    /** Milliseconds since this class was loaded: the time base of sends, outages and events. */
    static int clock() {
        return (int) (System.currentTimeMillis() - ORIGIN);
    }
    private volatile String endCause;

    SoakClient(int index, SoakSettings settings) throws IOException {
        this.index = index;
        this.nick = "soak" + index;
        this.settings = settings;
        this.rooms = new int[settings.roomsPerClient()];
        for (int k = 0; k < rooms.length; k++) {
            rooms[k] = settings.room(index, k);
            receivedIds.put(rooms[k], new IntList());
            receivedPayloads.put(rooms[k], new IntList());
        }
        this.log = Files.newBufferedWriter(settings.out().resolve("client-" + index + ".log"), StandardCharsets.UTF_8);
    }

    static String roomName(int room) {
        return "#soak" + room;
    }

    /** Sender and number in one int: 8 bits of client, 24 of seq. */
    static int payload(int client, int seq) {
        return client << 24 | seq;
    }

    static String describe(int payload) {
        return (payload >>> 24) + "." + (payload & 0xFFFFFF);
    }

    /** Connects to {@code first}, registers and joins its rooms. */
    void open(int first, List<Integer> ports) throws ConnectionException, IOException {
        List<InetSocketAddress> fallbacks = new ArrayList<>();
        for (int k = 1; k < ports.size(); k++) {
            fallbacks.add(InetSocketAddress.createUnresolved("127.0.0.1", ports.get((first + k) % ports.size())));
        }
        // No attempt limit: a client gives up only when the run ends. The read timeout notices a frozen node.
        link = ReconnectingLink.open("127.0.0.1", ports.get(first), fallbacks, Tls.none(), Duration.ofSeconds(3),
                Duration.ofSeconds(6), new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2), 0), this);
        Reply nickReply = await(link, Frame.of("NICK").param(nick).build());
        if (!nickReply.ok()) {
            throw new IOException(nick + ": NICK refused: " + nickReply.sentence());
        }
        joinAll(link);
        write("OPEN node " + (first + 1));
    }

    private void joinAll(ParleyLink on) throws ConnectionException {
        for (int room : rooms) {
            Reply joined = await(on, Frame.of("JOIN").param(roomName(room)).build());
            if (!joined.ok()) {
                throw new ConnectionException(nick + ": JOIN " + roomName(room) + " refused: " + joined.sentence());
            }
        }
    }

    private static Reply await(ParleyLink on, Frame command) throws ConnectionException {
        try {
            return on.request(command).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ConnectionException c ? c : new ConnectionException(e.getCause().toString());
        } catch (TimeoutException e) {
            throw new ConnectionException("no answer to " + command.verb() + " within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException("interrupted");
        }
    }

    /**
     * Sends the next numbered message to a room (target >= 0) or a whisper to client {@code -(target + 1)};
     * false when the window is full.
     */
    boolean send(int target) {
        if (inFlight.get() >= WINDOW || !link.isOpen()) {
            return false;
        }
        int seq;
        synchronized (this) {
            sentTarget.add(target);
            sentStatus.add(PENDING);
            sentAt.add(clock());
            seq = sentTarget.size();
        }
        inFlight.incrementAndGet();
        Frame command = target >= 0
                ? Frame.of("SAY").param(roomName(target)).trailing("s" + index + "." + seq).build()
                : Frame.of("TELL").param("soak" + (-target - 1)).trailing("w" + index + "." + seq).build();
        write("S " + seq + " " + (target >= 0 ? roomName(target) : "soak" + (-target - 1)));
        link.request(command).whenComplete((reply, failure) -> {
            inFlight.decrementAndGet();
            int status = failure != null ? FAILED : reply.ok() ? ACKED : REFUSED;
            synchronized (this) {
                sentStatus.set(seq - 1, status);
                if (status == REFUSED) {
                    refusals.merge(reply.code(), 1, Integer::sum);
                }
            }
            write("A " + seq + " " + (failure != null ? "FAIL " + failure.getMessage()
                    : reply.ok() ? "OK" : "ERR " + reply.code()));
        });
        return true;
    }

    int inFlight() {
        return inFlight.get();
    }

    @Override
    public void event(Frame event) {
        switch (event.verb()) {
            case "MSG" -> message(event);
            case "WHISPER" -> whisper(event);
            case "LEFT", "JOINED" -> {
                membership(event);
                write("E " + event);
            }
            default -> write("E " + event);
        }
    }

    private void message(Frame event) {
        String room = event.param(0);
        int msgid = parseInt(event.tag("msgid"));
        int payload = parsePayload(event.trailing(), 's');
        Integer r = room != null && room.startsWith("#soak") ? parseInt(room.substring(5)) : null;
        synchronized (this) {
            IntList ids = r == null ? null : receivedIds.get(r);
            if (ids == null || msgid < 0 || payload < 0) {
                foreign++;
            } else {
                ids.add(msgid);
                receivedPayloads.get(r).add(payload);
            }
        }
        write("R " + room + " " + msgid + " " + (payload < 0 ? event.trailing() : describe(payload)));
    }

    private void membership(Frame event) {
        int now = clock();
        String subject = event.param(1);
        int client = subject != null && subject.startsWith("soak") ? parseInt(subject.substring(4)) : -1;
        synchronized (this) {
            if (event.verb().equals("LEFT")) {
                leftSeen++;
            } else {
                joinedSeen++;
            }
            if (now >= trafficStart && client >= 0 && roomEvents.size() < MAX_EVENTS) {
                roomEvents.add(new RoomEvent(now, Soak.now(), event.verb(), event.param(0), client,
                        event.trailing() == null ? "" : event.trailing()));
            }
        }
    }

    private void whisper(Frame event) {
        int payload = parsePayload(event.trailing(), 'w');
        synchronized (this) {
            if (payload < 0) {
                foreign++;
            } else {
                whispers.add(payload);
            }
        }
        write("W " + (payload < 0 ? event.trailing() : describe(payload)));
    }

    private static int parsePayload(String text, char kind) {
        if (text == null || text.length() < 4 || text.charAt(0) != kind) {
            return -1;
        }
        int dot = text.indexOf('.');
        if (dot < 2) {
            return -1;
        }
        int client = parseInt(text.substring(1, dot));
        int seq = parseInt(text.substring(dot + 1));
        return client < 0 || client > 255 || seq < 0 || seq > 0xFFFFFF ? -1 : payload(client, seq);
    }

    private static int parseInt(String s) {
        if (s == null) {
            return -1;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void reconnecting(ConnectionException cause, int attempt, Duration delay) {
        synchronized (this) {
            reconnects++;
            if (outageStart < 0) {
                outageStart = clock();
            }
        }
        write("C attempt " + attempt + ": " + cause.getMessage());
    }

    @Override
    public void resumed() {
        synchronized (this) {
            resumes++;
            outageStart = -1;
        }
        write("RESUMED");
    }

    /** The session was lost (RESUME refused): a violation; the client rejoins so the run goes on. */
    @Override
    public void reregistered(ParleyLink fresh, String newNick) throws ConnectionException {
        synchronized (this) {
            sessionLosses.add(Soak.now() + " registered anew as " + newNick);
            for (IntList ids : receivedIds.values()) {
                ids.add(LOST_MARK);
            }
            for (IntList payloads : receivedPayloads.values()) {
                payloads.add(0);
            }
        }
        write("LOST session: registered anew as " + newNick);
        joinAll(fresh);
        synchronized (this) {
            lossWindows.add(new int[] {outageStart < 0 ? clock() : outageStart, clock()});
            outageStart = -1;
        }
    }

    @Override
    public void closed(ConnectionException cause) {
        endCause = cause == null ? "closed" : cause.getMessage();
        write("END " + endCause);
    }

    /** Alive at the end: the link is connected (not between connections, not given up). */
    boolean alive() {
        return link != null && link.isOpen() && !link.isReconnecting();
    }

    boolean reconnecting() {
        return link != null && link.isReconnecting();
    }

    String endCause() {
        return endCause;
    }

    void quit() {
        if (link != null) {
            link.quit("soak over", Duration.ofSeconds(5));
        }
    }

    void write(String line) {
        synchronized (log) {
            if (logClosed) {
                return; // the link's last words after the run ended
            }
            try {
                log.write(Soak.now());
                log.write(' ');
                log.write(line);
                log.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    void closeLog() throws IOException {
        synchronized (log) {
            logClosed = true;
            log.close();
        }
    }
}
