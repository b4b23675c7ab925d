package dev.parley.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Producer flow control for a room's messages that the cluster's log delivers (docs/protocol.md, "Flow
 * control"): the log's reader fans them out on the sender's server after the sender's SAY was answered, and
 * the sender still waits for a member there that reads slowly, which is never cut off.
 */
@DisplayName("flow control in a cluster")
@Timeout(240)
class ClusterFlowControlTest {
    private static final String TEXT = "c".repeat(1000);

    @TempDir
    Path spool;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    @DisplayName("two publishers pipelining into a room: a member reading at about 800 KB/s behind a 4 KiB window is never cut off")
    void slowReaderThatKeepsReadingIsNeverCutOff() throws Exception {
        List<ClusterNode> nodes = ClusterNode.startCluster("flow-" + UUID.randomUUID(), 2, spool, () -> null, Map.of(
                "parley.limits.flow-high-water", 65536, "parley.limits.flow-low-water", 16384,
                "parley.limits.max-stall", "10ms", "parley.limits.max-pending-bytes", 524288,
                "parley.limits.slow-consumer-timeout", "10s"));
        nodes.forEach(node -> open.add(node));
        InetSocketAddress address = nodes.get(0).address;
        int n = 3000; // per publisher: 6 MB, more than the kernel's buffers take on the way to the slow reader

        Member slow = Member.join(address, "slow", 4096, 5);
        Member p1 = Member.join(address, "p1", 0, 0);
        Member p2 = Member.join(address, "p2", 0, 0);
        open.add(slow);
        open.add(p1);
        open.add(p2);
        CompletableFuture<Integer> slowGot = slow.countMessages(List.of("p1", "p2"), n);
        CompletableFuture<Integer> oks1 = p1.countLines("OK SAY #lobby", n);
        CompletableFuture<Integer> oks2 = p2.countLines("OK SAY #lobby", n);
        CompletableFuture<Void> sent1 = CompletableFuture.runAsync(() -> p1.send(says(n)));
        CompletableFuture<Void> sent2 = CompletableFuture.runAsync(() -> p2.send(says(n)));

        assertThat(oks1.get(120, TimeUnit.SECONDS)).isEqualTo(n);
        assertThat(oks2.get(120, TimeUnit.SECONDS)).isEqualTo(n);
        sent1.get(10, TimeUnit.SECONDS);
        sent2.get(10, TimeUnit.SECONDS);
        assertThat(slowGot.get(60, TimeUnit.SECONDS)).as("messages the slow reader received").isEqualTo(2 * n);
        assertThat(nodes.get(0).core.totals().stalls()).as("commands that waited").isPositive();
        assertThat(nodes.get(0).core.totals().slowConsumerCutOffs()).isZero();
    }

    private static String says(int n) {
        StringBuilder says = new StringBuilder();
        for (int i = 0; i < n; i++) {
            says.append("SAY #lobby :").append(i).append(' ').append(TEXT).append('\n');
        }
        return says.toString();
    }

    /** A member of #lobby on a plain socket, read on a thread of its own, 4 KiB at a time. */
    private static final class Member implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final long pauseMillis;
        private final StringBuilder partial = new StringBuilder();

        private Member(Socket socket, long pauseMillis) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
            this.pauseMillis = pauseMillis;
        }

        /** Connects (with that receive buffer, 0 = the default), registers as {@code nick} and joins #lobby. */
        static Member join(InetSocketAddress address, String nick, int receiveBuffer, long pauseMillis)
                throws IOException {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(address, 10_000);
            socket.setSoTimeout(30_000);
            Member member = new Member(socket, pauseMillis);
            member.send("NICK " + nick + "\nJOIN #lobby\n");
            boolean[] joined = {false};
            member.readUntil(line -> joined[0] = line.equals("OK JOIN #lobby"));
            assertThat(joined[0]).as(nick + " joined").isTrue();
            return member;
        }

        void send(String text) {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Counts the messages of {@code senders} (each sends {@code perSender}), checking each one's order. */
        CompletableFuture<Integer> countMessages(List<String> senders, int perSender) {
            return CompletableFuture.supplyAsync(() -> {
                int[] got = new int[senders.size()];
                int[] total = {0};
                readUntil(line -> {
                    for (int s = 0; s < senders.size(); s++) {
                        String prefix = " MSG #lobby " + senders.get(s) + " :";
                        int at = line.indexOf(prefix);
                        if (at >= 0) {
                            assertThat(line.substring(at + prefix.length())).isEqualTo(got[s] + " " + TEXT);
                            got[s]++;
                            total[0]++;
                        }
                    }
                    return line.startsWith("BYE ") || total[0] == perSender * senders.size();
                });
                return total[0];
            });
        }

        /** Counts lines equal to {@code expected} on a thread of its own. */
        CompletableFuture<Integer> countLines(String expected, int n) {
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

        /** Reads lines until {@code done} says so or the stream ends; pauses between reads for a slow reader. */
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
}
