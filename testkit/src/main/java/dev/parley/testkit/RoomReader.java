package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A member of one room on a plain socket whose reading the test controls, for flow-control tests: a receive
 * buffer of the test's size and a pause after every read of at most 4 KiB make a reader that keeps reading,
 * slowly (4 KiB and 5 ms: about 800 KB/s); a member that never calls a counting method has stopped reading.
 * Unlike {@link LineClient}, nothing reads until a test asks it to.
 */
public final class RoomReader implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String room;
    private final long pauseMillis;
    private final StringBuilder partial = new StringBuilder();

    private RoomReader(Socket socket, String room, long pauseMillis) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
        this.room = room;
        this.pauseMillis = pauseMillis;
    }

    /**
     * Connects with that receive buffer (0: the system's default), registers as {@code nick} and joins
     * {@code room}; then reads only when asked, pausing {@code pauseMillis} after each read.
     */
    public static RoomReader join(InetSocketAddress address, String room, String nick, int receiveBuffer,
                                  long pauseMillis) throws IOException, InterruptedException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(address, 10_000);
        socket.setSoTimeout(30_000);
        RoomReader member = new RoomReader(socket, room, pauseMillis);
        member.send("NICK " + nick + "\nJOIN " + room + "\n");
        CountDownLatch joined = new CountDownLatch(1);
        member.readUntil(line -> {
            if (line.equals("OK JOIN " + room)) {
                joined.countDown();
                return true;
            }
            return false;
        });
        assertThat(joined.await(10, TimeUnit.SECONDS)).as(nick + " joined").isTrue();
        return member;
    }

    /** Writes text as it is (lines end with {@code \n}). */
    public void send(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pipelines {@code n} messages {@code "<i> <text>"} (i from 0) to the room, as {@link #countMessages} expects. */
    public void sayNumbered(int n, String text) {
        StringBuilder says = new StringBuilder();
        for (int i = 0; i < n; i++) {
            says.append("SAY ").append(room).append(" :").append(i).append(' ').append(text).append('\n');
        }
        send(says.toString());
    }

    /**
     * Counts, on a thread of its own, the room's messages from {@code senders}, each of which sends
     * {@code perSender} messages {@code "<n> <text>"} (n from 0), checking that each sender's come in order;
     * completes with the total when all arrived, a {@code BYE} came, or the connection ended.
     */
    public CompletableFuture<Integer> countMessages(List<String> senders, int perSender, String text) {
        return CompletableFuture.supplyAsync(() -> {
            int[] got = new int[senders.size()];
            int[] total = {0};
            readUntil(line -> {
                for (int s = 0; s < senders.size(); s++) {
                    String prefix = " MSG " + room + " " + senders.get(s) + " :";
                    int at = line.indexOf(prefix);
                    if (at >= 0) {
                        assertThat(line.substring(at + prefix.length())).isEqualTo(got[s] + " " + text);
                        got[s]++;
                        total[0]++;
                    }
                }
                return line.startsWith("BYE ") || total[0] == perSender * senders.size();
            });
            return total[0];
        });
    }

    /** Counts, on a thread of its own, lines equal to {@code expected}, until {@code n} or a {@code BYE}. */
    public CompletableFuture<Integer> countLines(String expected, int n) {
        return CompletableFuture.supplyAsync(() -> {
            int[] got = {0};
            readUntil(line -> {
                if (line.equals(expected)) {
                    got[0]++;
                }
                return got[0] == n || line.startsWith("BYE ");
            });
            return got[0];
        });
    }

    /** Reads lines until {@code done} says so or the stream ends; pauses after each read for a slow reader. */
    private void readUntil(Predicate<String> done) {
        byte[] buffer = new byte[4096];
        try {
            while (true) {
                int newline;
                while ((newline = partial.indexOf("\n")) >= 0) {
                    String line = partial.substring(0, newline);
                    partial.delete(0, newline + 1);
                    if (done.test(line)) {
                        return;
                    }
                }
                int read = in.read(buffer);
                if (read < 0) {
                    return;
                }
                partial.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
            }
        } catch (IOException e) {
            // reset after a cut-off: the caller counts what arrived
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
