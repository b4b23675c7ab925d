package dev.parley.bench.scenario;

import dev.parley.bench.net.Line;
import dev.parley.bench.net.Link;
import dev.parley.bench.net.LinkHandler;
import dev.parley.bench.net.Reactor;
import dev.parley.bench.wire.Dialect;
import dev.parley.bench.wire.Inbound;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many members on a few reactor threads: connects them, registers them, puts them in their rooms, and
 * hands every later line to a {@link Traffic}. Keep-alives (PING) are answered here for every target.
 */
final class Crowd implements LinkHandler, AutoCloseable {

    /** What a scenario does with the lines that are not part of setting up. */
    interface Traffic {
        /** @param receivedNanos when the read that brought the line returned */
        void inbound(Member member, Inbound inbound, long receivedNanos);
    }

    private static final int MAX_ERRORS_SHOWN = 5;

    final Endpoint endpoint;
    final Dialect dialect;
    final Reactor[] reactors;
    final Tally[] tallies;
    final List<Member> members = new ArrayList<>();
    /** Two letters that keep this run's nicks and rooms apart from a previous run's lingering ones. */
    final String runTag;
    private final PrintStream err;
    private final AtomicInteger registered = new AtomicInteger();
    private final AtomicInteger joined = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger stalledClosed = new AtomicInteger();
    private final AtomicInteger errorsShown = new AtomicInteger();
    private volatile Traffic traffic = (m, i, t) -> { };
    /** Local addresses connections are made from, in turn; empty: the system's choice. */
    private java.util.List<java.net.InetAddress> sources = List.of();
    /** Which server each member connects to. */
    private Placement placement;

    Crowd(Endpoint endpoint, int ioThreads, PrintStream err) {
        this.endpoint = endpoint;
        this.dialect = endpoint.target().dialect();
        this.err = err;
        this.reactors = new Reactor[ioThreads];
        this.tallies = new Tally[ioThreads];
        for (int i = 0; i < ioThreads; i++) {
            reactors[i] = new Reactor("bench-io-" + i);
            tallies[i] = new Tally();
        }
        this.placement = Placement.single(endpoint);
        this.runTag = Integer.toString(36 * 36 + ThreadLocalRandom.current().nextInt(36 * 36 * 35), 36).substring(1);
    }

    /** Connects from 127.0.0.1 .. 127.0.0.{count} in turn (count 0 or 1: the system's choice). */
    void spreadOver(int count) throws IOException {
        List<java.net.InetAddress> list = new ArrayList<>();
        for (int i = 1; count > 1 && i <= count; i++) {
            list.add(java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i}));
        }
        sources = list;
    }

    void placement(Placement placement) {
        this.placement = placement;
    }

    void traffic(Traffic traffic) {
        this.traffic = traffic;
    }

    /** Nick of member i: short enough for IRC's default nine characters up to 999,999 members. */
    String nick(int i) {
        return "b" + runTag + i;
    }

    String room(int i) {
        return "r" + runTag + i;
    }

    /** Connects and registers one member per entry; waits for every registration or the deadline. */
    void connectAll(List<String> rooms, List<Boolean> publishers, long deadlineNanos) throws IOException, InterruptedException {
        for (int i = 0; i < rooms.size(); i++) {
            int r = i % reactors.length;
            Member member = new Member(nick(i), rooms.get(i), publishers.get(i), dialect.newParser(), tallies[r]);
            members.add(member);
            Link link;
            try {
                java.net.InetAddress source = sources.isEmpty() ? null : sources.get(i % sources.size());
                java.net.InetSocketAddress server = new java.net.InetSocketAddress(endpoint.host(),
                        placement.portOf(i, member.publisher));
                link = reactors[r].connect(server, source, this).get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException("could not register connection " + i, e.getCause());
            }
            link.attachment = member;
            member.link = link;
            String hello = dialect.register(member.nick, member.publisher);
            reactors[r].execute(() -> link.send(hello));
            if (System.nanoTime() > deadlineNanos) {
                throw new IOException("setup timeout: connected only " + i + " of " + rooms.size());
            }
        }
        await(registered, members.size(), deadlineNanos, "registered");
    }

    /** Sends every member with a room its JOIN and waits until all are in. */
    void joinAll(long deadlineNanos) throws IOException, InterruptedException {
        int expected = 0;
        for (Member member : members) {
            if (member.room != null) {
                expected++;
                String join = dialect.join(member.room);
                member.link.reactor().execute(() -> member.link.send(join));
            }
        }
        await(joined, expected, deadlineNanos, "joined");
    }

    private void await(AtomicInteger counter, int expected, long deadlineNanos, String what)
            throws IOException, InterruptedException {
        while (counter.get() < expected) {
            if (System.nanoTime() > deadlineNanos) {
                throw new IOException("setup timeout: " + counter.get() + " of " + expected + " " + what
                        + " (" + closed.get() + " connections closed)");
            }
            if (closed.get() > 0 && counter.get() + closed.get() >= expected) {
                throw new IOException(closed.get() + " connections closed by the server during setup");
            }
            Thread.sleep(5);
        }
    }

    /** Stalled members whose socket reached its end once they read again. */
    int stalledClosedCount() {
        return stalledClosed.get();
    }

    int closedCount() {
        return closed.get();
    }

    long errors() {
        long n = 0;
        for (Tally t : tallies) {
            n += t.errors.get();
        }
        return n;
    }

    /** Runs a task on every reactor thread and waits for all: a consistent look at their state. */
    void onEveryReactor(java.util.function.IntConsumer task) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(reactors.length);
        for (int i = 0; i < reactors.length; i++) {
            int index = i;
            reactors[i].execute(() -> {
                task.accept(index);
                done.countDown();
            });
        }
        done.await(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    long cpuNanos() {
        long sum = 0;
        for (Reactor r : reactors) {
            sum += Math.max(0, r.cpuNanos());
        }
        return sum;
    }

    long busiestCpuNanos(long[] before) {
        long max = 0;
        for (int i = 0; i < reactors.length; i++) {
            max = Math.max(max, reactors[i].cpuNanos() - before[i]);
        }
        return max;
    }

    long[] cpuByReactor() {
        long[] out = new long[reactors.length];
        for (int i = 0; i < reactors.length; i++) {
            out[i] = reactors[i].cpuNanos();
        }
        return out;
    }

    @Override
    public void line(Link link, Line line) {
        Member member = (Member) link.attachment;
        if (member == null) {
            return; // a line before the attachment was set: only possible for greetings, which we ignore
        }
        if (member.stalled && member.joined) {
            // Only read at the end, to see how the server left it: its last word and then the socket's end.
            if (member.lastWord == null && (line.startsWith("BYE ") || line.startsWith("-ERR"))) {
                member.lastWord = line.toString();
            }
            return;
        }
        Inbound inbound = member.parser.parse(line);
        switch (inbound.kind()) {
            case REGISTERED -> {
                if (!member.registered) {
                    member.registered = true;
                    registered.incrementAndGet();
                }
            }
            case JOINED -> {
                if (!member.joined) {
                    member.joined = true;
                    if (member.stalled) {
                        link.stopReading();
                    }
                    joined.incrementAndGet();
                }
            }
            case ANSWER -> link.send(inbound.text());
            case ERROR -> {
                member.tally.errors.incrementAndGet();
                if (errorsShown.incrementAndGet() <= MAX_ERRORS_SHOWN) {
                    err.println("bench: " + member.nick + " got: " + line);
                }
            }
            default -> traffic.inbound(member, inbound, line.receivedNanos());
        }
    }

    @Override
    public void closed(Link link, Exception cause) {
        Member member = (Member) link.attachment;
        if (member != null && member.stalled && member.joined) {
            member.endSeen = true;
            stalledClosed.incrementAndGet();
            return;
        }
        if (closed.incrementAndGet() <= MAX_ERRORS_SHOWN) {
            err.println("bench: connection of " + (member == null ? "?" : member.nick) + " closed"
                    + (cause == null ? " by the server" : ": " + cause));
        }
    }

    /** Closes every connection and stops the threads. */
    @Override
    public void close() {
        for (Reactor r : reactors) {
            r.close();
        }
    }

    static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }
}
