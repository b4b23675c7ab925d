package dev.parley.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.MessageStoreProvider;
import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.Ref;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.core.spi.store.StoredMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("the memory message store")
class MemoryMessageStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final String ROOM = "#lobby";

    private final MemoryMessageStore store = new MemoryMessageStore(1000);

    /** Messages 1..n of the room, one second apart from T0. */
    private void fill(int n) {
        for (int i = 1; i <= n; i++) {
            store.append(message(ROOM, i)).toCompletableFuture().join();
        }
    }

    private static StoredMessage message(String conversation, long msgid) {
        return new StoredMessage(conversation, msgid, T0.plusSeconds(msgid - 1), "alice", conversation, "m" + msgid);
    }

    private List<Long> ids(Page page) {
        return store.page(ROOM, page).stream().map(StoredMessage::msgid).toList();
    }

    private static Ref id(long msgid) {
        return new Ref.MsgId(msgid);
    }

    private static Ref at(long second) {
        return new Ref.At(T0.plusSeconds(second));
    }

    @Nested
    @DisplayName("appending")
    class Appending {
        @Test
        @DisplayName("numbering continues after the last msgid, also once old messages are forgotten")
        void lastMsgId() {
            assertThat(store.lastMsgId(ROOM)).isEmpty();
            MemoryMessageStore small = new MemoryMessageStore(2);
            for (int i = 1; i <= 5; i++) {
                small.append(message(ROOM, i));
            }
            assertThat(small.lastMsgId(ROOM)).hasValue(5);
            assertThat(small.page(ROOM, Page.latest(10))).extracting(StoredMessage::msgid).containsExactly(4L, 5L);
            assertThat(small.contains(ROOM, 1)).isTrue();
            assertThat(small.contains(ROOM, 6)).isFalse();
        }

        @Test
        @DisplayName("a msgid not above the last fails the stage and keeps nothing")
        void reused() {
            fill(3);
            assertThat(store.append(message(ROOM, 3)).toCompletableFuture()).isCompletedExceptionally();
            assertThat(ids(Page.latest(10))).containsExactly(1L, 2L, 3L);
        }

        @Test
        @DisplayName("a closed store answers StoreUnavailableException")
        void closed() {
            store.close();
            assertThat(store.isAvailable()).isFalse();
            assertThatThrownBy(() -> store.append(message(ROOM, 1))).isInstanceOf(StoreUnavailableException.class);
        }
    }

    @Nested
    @DisplayName("paging 1..10, oldest first")
    class Paging {
        Paging() {
            fill(10);
        }

        @Test
        void latest() {
            assertThat(ids(Page.latest(3))).containsExactly(8L, 9L, 10L);
            assertThat(ids(Page.latest(100))).hasSize(10);
        }

        @Test
        @DisplayName("BEFORE a msgid or a time: the newest older ones")
        void before() {
            assertThat(ids(Page.before(id(5), 3))).containsExactly(2L, 3L, 4L);
            assertThat(ids(Page.before(id(2), 3))).containsExactly(1L);
            assertThat(ids(Page.before(id(1), 3))).isEmpty();
            assertThat(ids(Page.before(at(4), 2))).as("message 5 was sent at T0+4s").containsExactly(3L, 4L);
        }

        @Test
        @DisplayName("AFTER a msgid excludes it; AFTER a time includes a message sent at that time")
        void after() {
            assertThat(ids(Page.after(id(5), 3))).containsExactly(6L, 7L, 8L);
            assertThat(ids(Page.after(at(4), 3))).containsExactly(5L, 6L, 7L);
            assertThat(ids(Page.after(id(10), 3))).isEmpty();
        }

        @Test
        @DisplayName("AROUND: up to half older, the referenced one, then newer")
        void around() {
            assertThat(ids(Page.around(id(5), 4))).containsExactly(3L, 4L, 5L, 6L);
            assertThat(ids(Page.around(id(1), 3))).containsExactly(1L, 2L, 3L);
            assertThat(ids(Page.around(at(9), 3))).containsExactly(9L, 10L);
        }

        @Test
        @DisplayName("BETWEEN: strictly between, in either order, the oldest first")
        void between() {
            assertThat(ids(Page.between(id(2), id(7), 10))).containsExactly(3L, 4L, 5L, 6L);
            assertThat(ids(Page.between(id(7), id(2), 2))).containsExactly(3L, 4L);
            assertThat(ids(Page.between(id(3), at(5), 10))).as("T0+5s is message 6's time").containsExactly(4L, 5L);
            assertThat(ids(Page.between(id(4), id(5), 10))).isEmpty();
        }

        @Test
        @DisplayName("an unknown conversation pages nothing")
        void unknown() {
            assertThat(store.page("#nowhere", Page.latest(5))).isEmpty();
        }
    }

    @Nested
    @DisplayName("pruning")
    class Pruning {
        @Test
        @DisplayName("forgets by age and by count; numbering continues")
        void prune() {
            fill(10);
            assertThat(store.prune(T0.plusSeconds(3), 1000)).isEqualTo(3);
            assertThat(ids(Page.latest(100))).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(store.prune(null, 2)).isEqualTo(5);
            assertThat(ids(Page.latest(100))).containsExactly(9L, 10L);
            assertThat(store.lastMsgId(ROOM)).hasValue(10);
        }
    }

    @Nested
    @DisplayName("mailboxes")
    class Mailboxes {
        @Test
        @DisplayName("deposit up to the capacity, read oldest first, acknowledge through a message")
        void mailbox() {
            String conv = "@alice|bob";
            assertThat(store.deposit("bob", message(conv, 1), 2).toCompletableFuture().join()).isTrue();
            assertThat(store.deposit("bob", message(conv, 2), 2).toCompletableFuture().join()).isTrue();
            assertThat(store.deposit("bob", message(conv, 3), 2).toCompletableFuture().join()).isFalse();
            assertThat(store.mailbox("bob", 10)).extracting(StoredMessage::msgid).containsExactly(1L, 2L);
            store.acknowledge("bob", conv, 1);
            assertThat(store.mailbox("bob", 10)).extracting(StoredMessage::msgid).containsExactly(2L);
            assertThat(store.mailbox("carol", 10)).isEmpty();
        }
    }

    @Test
    @DisplayName("core provides the memory store's provider, which opens memory: and only memory:")
    void provider() {
        assertThat(MemoryStoreProvider.class.getModule().getDescriptor().provides())
                .anyMatch(p -> p.service().equals(MessageStoreProvider.class.getName())
                        && p.providers().contains(MemoryStoreProvider.class.getName()));
        MessageStoreProvider provider = new MemoryStoreProvider();
        assertThat(provider.accepts("memory:")).isTrue();
        assertThat(provider.accepts("jdbc:sqlite:data/parley.db")).isFalse();
        MessageStore opened = provider.open(ConfigFactory.load().getConfig("parley.store"), Path.of("."));
        assertThat(opened.isAvailable()).isTrue();
        opened.close();
    }

    @Test
    @DisplayName("settings read core's defaults and never show credentials")
    void settings() {
        StoreSettings defaults = StoreSettings.from(ConfigFactory.load().getConfig("parley.store"));
        assertThat(defaults.url()).isEqualTo("jdbc:sqlite:data/parley.db");
        assertThat(defaults.maxAge()).isEqualTo(Duration.ofDays(90));
        assertThat(defaults.maxMessagesPerRoom()).isEqualTo(1_000_000);
        assertThat(defaults.maxOfflineMessages()).isEqualTo(1000);
        assertThat(StoreSettings.safe("jdbc:postgresql://bob:s3cret@db/parley?password=s3cret&ssl=true"))
                .doesNotContain("s3cret").contains("db/parley").contains("ssl=true");
    }

    @Nested
    @DisplayName("bounding the heap")
    class Bounds {
        @Test
        @DisplayName("all rooms together keep about max-messages: past it a room's new message pushes out its own oldest")
        void totalBound() {
            MemoryMessageStore bounded = new MemoryMessageStore(1_000_000, 10);
            for (int i = 1; i <= 8; i++) {
                bounded.append(message("#a", i));
            }
            for (int i = 1; i <= 50; i++) {
                bounded.append(message("#b", i));
            }
            List<StoredMessage> a = bounded.page("#a", Page.latest(100));
            List<StoredMessage> b = bounded.page("#b", Page.latest(100));
            assertThat(a.size() + b.size()).isEqualTo(10);
            assertThat(a).extracting(StoredMessage::msgid).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
            assertThat(b).extracting(StoredMessage::msgid).containsExactly(49L, 50L);
            assertThat(bounded.lastMsgId("#b")).hasValue(50);
        }

        @Test
        @DisplayName("a room at its cap keeps the newest in order and pages by msgid and time across the ring's wrap")
        void ringWraps() {
            MemoryMessageStore capped = new MemoryMessageStore(100, 1_000_000);
            for (int i = 1; i <= 1_037; i++) {
                capped.append(message(ROOM, i));
            }
            List<StoredMessage> all = capped.page(ROOM, Page.latest(1000));
            assertThat(all).hasSize(100);
            assertThat(all.get(0).msgid()).isEqualTo(938);
            assertThat(all.get(99).msgid()).isEqualTo(1_037);
            assertThat(capped.page(ROOM, Page.before(id(1_000), 3)))
                    .extracting(StoredMessage::msgid).containsExactly(997L, 998L, 999L);
            assertThat(capped.page(ROOM, Page.after(at(1_000), 2)))
                    .extracting(StoredMessage::msgid).containsExactly(1_001L, 1_002L);
            assertThat(capped.prune(null, 10)).isEqualTo(90);
            assertThat(capped.page(ROOM, Page.latest(1000)))
                    .extracting(StoredMessage::msgid).first().isEqualTo(1_028L);
        }
    }
}
