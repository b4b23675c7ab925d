package dev.parley.chat.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.chat.ChatHarness;
import dev.parley.chat.ChatHarness.Client;
import dev.parley.core.protocol.Frame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("room messages under concurrency")
class MessageOrderTest {
    private static final int SENDERS = 4;
    private static final int MESSAGES = 2000;

    @Test
    @Timeout(60)
    @DisplayName("4 threads x 2000 SAYs into one room: every other member sees all messages in strictly increasing msgid order")
    void ordered() throws Exception {
        ChatHarness chat = new ChatHarness("history-page = 10");
        List<Client> senders = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
            Client c = chat.registered("s" + i);
            c.ok("JOIN #busy");
            senders.add(c);
        }
        Client listener = chat.registered("listener");
        listener.ok("JOIN #busy");
        senders.forEach(Client::takeEvents);

        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Client sender : senders) {
                // Each thread is one session's sequence of commands, as the server runs them.
                done.add(pool.submit(() -> {
                    start.await();
                    for (int m = 0; m < MESSAGES; m++) {
                        sender.ok("SAY #busy :" + sender.session().name().orElseThrow() + "-" + m);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertOrdered(listener.eventFrames(), SENDERS * MESSAGES, null);
        for (Client sender : senders) {
            String nick = sender.session().name().orElseThrow();
            assertOrdered(sender.eventFrames(), (SENDERS - 1) * MESSAGES, nick);
        }
        assertThat(listener.send("HISTORY #busy").data()).extracting(f -> f.tag("msgid"))
                .containsExactly("7991", "7992", "7993", "7994", "7995", "7996", "7997", "7998", "7999", "8000");
    }

    /** All messages present, msgids strictly increasing, and each sender's own messages in the order sent. */
    private static void assertOrdered(List<Frame> received, int expected, String ownNick) {
        assertThat(received).hasSize(expected).allMatch(f -> f.verb().equals("MSG"));
        long previous = 0;
        Map<String, Integer> nextPerSender = new HashMap<>();
        for (Frame f : received) {
            long id = Long.parseLong(f.tag("msgid"));
            assertThat(id).as("msgid after %d", previous).isGreaterThan(previous);
            previous = id;
            String from = f.param(1);
            assertThat(from).isNotEqualTo(ownNick);
            int n = nextPerSender.merge(from, 1, Integer::sum) - 1;
            assertThat(f.trailing()).isEqualTo(from + "-" + n);
        }
        if (ownNick == null) {
            assertThat(previous).isEqualTo(SENDERS * MESSAGES);
        }
    }
}
