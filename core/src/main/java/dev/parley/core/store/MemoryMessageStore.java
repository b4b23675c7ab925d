package dev.parley.core.store;

import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.StoredMessage;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A store that keeps messages in this process only: for tests and throw-away servers. Nothing survives a
 * restart of the JVM; an instance shared by two servers started one after the other keeps everything, like a
 * database would. Bounded: each conversation keeps at most {@code maxPerConversation} messages (the oldest go
 * first, as the pruner would), all of them together about {@code maxMessages}, and each mailbox the capacity its
 * callers give.
 *
 * <p>Pages by time assume a conversation's times do not decrease with its msgids, which holds for one server's
 * clock unless it is set back.
 */
public final class MemoryMessageStore implements MessageStore {
    private final MemoryAccountStore accounts = new MemoryAccountStore();
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final Comparator<StoredMessage> BY_MSGID = Comparator.comparingLong(StoredMessage::msgid);

    private final long maxPerConversation;
    private final long maxMessages;
    /** Messages kept in all conversations. */
    private final AtomicLong total = new AtomicLong();
    private final ConcurrentHashMap<String, Conversation> conversations = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ArrayDeque<StoredMessage>> mailboxes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** With the default bound of all conversations' messages together, derived from the heap (see {@link #defaultMaxMessages}). */
    public MemoryMessageStore(long maxPerConversation) {
        this(maxPerConversation, defaultMaxMessages());
    }

    /**
     * @param maxPerConversation messages kept per conversation, the newest ({@code retention.max-messages-per-room})
     * @param maxMessages        messages kept in all conversations together ({@code memory.max-messages}): past it
     *                           an append drops the oldest message of its own conversation, so the heap holds at
     *                           most this many plus one per conversation
     */
    public MemoryMessageStore(long maxPerConversation, long maxMessages) {
        if (maxPerConversation < 1) {
            throw new IllegalArgumentException("a conversation keeps at least 1 message: " + maxPerConversation);
        }
        if (maxMessages < 1) {
            throw new IllegalArgumentException("the memory store keeps at least 1 message: " + maxMessages);
        }
        this.maxPerConversation = maxPerConversation;
        this.maxMessages = maxMessages;
    }

    /**
     * A sixteenth of the maximum heap at an estimated 512 bytes per kept message (the record, its strings and
     * its place in the ring), at least 1,000: about 130,000 messages at -Xmx1g, 16,000 at -Xmx128m.
     */
    public static long defaultMaxMessages() {
        return Math.max(1_000, Runtime.getRuntime().maxMemory() / 16 / 512);
    }

    @Override
    public CompletionStage<Void> append(StoredMessage message) {
        Objects.requireNonNull(message, "message");
        checkOpen();
        Conversation c = conversations.computeIfAbsent(message.conversation(), k -> new Conversation());
        synchronized (c) {
            if (message.msgid() <= c.lastMsgId) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("msgid " + message.msgid()
                        + " of " + message.conversation() + " is not above its last, " + c.lastMsgId));
            }
            c.messages.add(message);
            c.lastMsgId = message.msgid();
            bound(c);
        }
        return DONE;
    }

    @Override
    public CompletionStage<Void> insert(StoredMessage message) {
        Objects.requireNonNull(message, "message");
        checkOpen();
        Conversation c = conversations.computeIfAbsent(message.conversation(), k -> new Conversation());
        synchronized (c) {
            int at = Collections.binarySearch(c.messages, message, BY_MSGID);
            if (at >= 0) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("msgid " + message.msgid()
                        + " of " + message.conversation() + " is kept already"));
            }
            c.messages.add(-at - 1, message);
            c.lastMsgId = Math.max(c.lastMsgId, message.msgid());
            bound(c);
        }
        return DONE;
    }

    /** After one message was added to the conversation: drops its oldest past either bound. Caller holds c. */
    private void bound(Conversation c) {
        int over = (int) Math.max(c.messages.size() - maxPerConversation,
                total.incrementAndGet() > maxMessages && c.messages.size() > 1 ? 1 : 0);
        if (over > 0) {
            c.messages.removeFirst(over);
            total.addAndGet(-over);
        }
    }

    @Override
    public OptionalLong lastMsgId(String conversation) {
        checkOpen();
        Conversation c = conversations.get(conversation);
        if (c == null) {
            return OptionalLong.empty();
        }
        synchronized (c) {
            return c.lastMsgId == 0 ? OptionalLong.empty() : OptionalLong.of(c.lastMsgId);
        }
    }

    @Override
    public boolean contains(String conversation, long msgid) {
        checkOpen();
        OptionalLong last = lastMsgId(conversation);
        return msgid >= 1 && last.isPresent() && msgid <= last.getAsLong();
    }

    @Override
    public List<StoredMessage> page(String conversation, Page page) {
        checkOpen();
        Conversation c = conversations.get(conversation);
        if (c == null) {
            return List.of();
        }
        synchronized (c) {
            return List.copyOf(Paging.window(c.messages, page));
        }
    }

    @Override
    public CompletionStage<Boolean> deposit(String account, StoredMessage message, int capacity) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(message, "message");
        checkOpen();
        ArrayDeque<StoredMessage> box = mailboxes.computeIfAbsent(account, k -> new ArrayDeque<>());
        synchronized (box) {
            if (box.size() >= capacity) {
                return CompletableFuture.completedFuture(false);
            }
            box.add(message);
        }
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public List<StoredMessage> mailbox(String account, int limit) {
        checkOpen();
        ArrayDeque<StoredMessage> box = mailboxes.get(account);
        if (box == null) {
            return List.of();
        }
        synchronized (box) {
            return box.stream().limit(limit).toList();
        }
    }

    @Override
    public void acknowledge(String account, String conversation, long msgid) {
        checkOpen();
        ArrayDeque<StoredMessage> box = mailboxes.get(account);
        if (box == null) {
            return;
        }
        synchronized (box) {
            int through = -1;
            int i = 0;
            for (StoredMessage m : box) {
                if (m.conversation().equals(conversation) && m.msgid() == msgid) {
                    through = i;
                    break;
                }
                i++;
            }
            for (int n = 0; n <= through; n++) {
                box.poll();
            }
        }
    }

    @Override
    public long prune(Instant olderThan, long maxPerConversation) {
        checkOpen();
        long forgotten = 0;
        for (Conversation c : conversations.values()) {
            synchronized (c) {
                int before = c.messages.size();
                int keepFrom = (int) Math.max(0, before - maxPerConversation);
                if (olderThan != null) {
                    keepFrom = Math.max(keepFrom, Paging.firstSentAtOrAfter(c.messages, olderThan));
                }
                c.messages.removeFirst(keepFrom);
                total.addAndGet(-keepFrom);
                forgotten += keepFrom;
            }
        }
        if (olderThan != null) {
            for (ArrayDeque<StoredMessage> box : mailboxes.values()) {
                synchronized (box) {
                    for (Iterator<StoredMessage> it = box.iterator(); it.hasNext(); ) {
                        if (it.next().time().isBefore(olderThan)) {
                            it.remove();
                            forgotten++;
                        }
                    }
                }
            }
        }
        return forgotten;
    }

    @Override
    public boolean isAvailable() {
        return !closed;
    }

    /** Nothing to commit; later calls fail as a closed database's would. Reopening is not possible. */
    @Override
    public Optional<AccountStore> accounts() {
        return Optional.of(accounts);
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new dev.parley.core.spi.store.StoreUnavailableException("the memory store is closed");
        }
    }

    /** One conversation's messages in msgid order, and the highest msgid it ever had. */
    private static final class Conversation {
        final RingList<StoredMessage> messages = new RingList<>(); // guarded by this
        long lastMsgId;                                          // guarded by this
    }
}
