package dev.parley.chat.direct;

import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.store.Conversations;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.StoredMessage;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Private messages between accounts, as the store keeps them: each pair of accounts has one conversation
 * ({@link Conversations#direct}) whose messages are numbered like a room's, and an account that is offline gets
 * the messages left for it in its mailbox. Numbering and appending happen under the conversation's lock, so the
 * store gets each conversation's msgids in increasing order.
 */
public final class DirectMessages {
    /**
     * Conversations whose last msgid is remembered here, the most recently used; one read from the store
     * numbers a conversation again once it was forgotten. Bounds the memory many pairs of accounts take.
     */
    static final int REMEMBERED_CONVERSATIONS = 10_000;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final MessageStore store;
    private final Clock clock;
    private final int mailboxCapacity;
    private final Map<String, Counter> counters = new LinkedHashMap<>(16, 0.75f, true) { // guarded by itself
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Counter> eldest) {
            return size() > REMEMBERED_CONVERSATIONS;
        }
    };

    /** @param mailboxCapacity {@code parley.store.max-offline-messages} */
    public DirectMessages(MessageStore store, Clock clock, int mailboxCapacity) {
        this.store = store;
        this.clock = clock;
        this.mailboxCapacity = mailboxCapacity;
    }

    /** What happened to a private message left for an offline account. */
    public enum Deposit { STORED, MAILBOX_FULL }

    /** A message numbered in its conversation, and its stage in the store. */
    public record Appended(StoredMessage message, CompletableFuture<?> stored) {
        /** The WHISPER its recipient gets, tagged with its msgid and time. */
        public Frame whisper() {
            return DirectMessages.whisper(message);
        }
    }

    /** The WHISPER event of a kept private message: {@code @msgid=…;time=… WHISPER <from> :<text>}. */
    public static Frame whisper(StoredMessage message) {
        return Frame.of("WHISPER")
                .tag("msgid", Long.toString(message.msgid()))
                .tag("time", TIME.format(message.time()))
                .param(message.sender())
                .trailing(message.text())
                .build();
    }

    /**
     * Numbers a message between two accounts and appends it to their conversation.
     *
     * @throws dev.parley.core.spi.store.StoreUnavailableException when the store cannot tell the numbering
     */
    public Appended append(String fromAccount, String toAccount, String fromNick, String toNick, String text) {
        String conversation = Conversations.direct(fromAccount, toAccount);
        Counter counter = counter(conversation);
        synchronized (counter) {
            if (counter.last < 0) {
                counter.last = store.lastMsgId(conversation).orElse(0);
            }
            StoredMessage message = new StoredMessage(conversation, ++counter.last, clock.instant(), fromNick, toNick,
                    text);
            CompletableFuture<?> stored;
            try {
                stored = store.append(message).toCompletableFuture();
            } catch (RuntimeException e) {
                stored = CompletableFuture.failedFuture(e);
            }
            return new Appended(message, stored);
        }
    }

    /**
     * Leaves a message for an offline account: appended to the conversation, then put in the account's
     * mailbox unless it holds the most already (checked first, so a full mailbox keeps nothing).
     *
     * @throws dev.parley.core.spi.store.StoreUnavailableException when the store cannot be read
     */
    public CompletableFuture<Deposit> deposit(String fromAccount, String toAccount, String fromNick, String toNick,
                                              String text) {
        if (store.mailbox(toAccount, mailboxCapacity).size() >= mailboxCapacity) {
            return CompletableFuture.completedFuture(Deposit.MAILBOX_FULL);
        }
        Appended appended = append(fromAccount, toAccount, fromNick, toNick, text);
        return appended.stored().thenCompose(ignored -> store.deposit(toAccount, appended.message(), mailboxCapacity))
                .thenApply(stored -> stored ? Deposit.STORED : Deposit.MAILBOX_FULL).toCompletableFuture();
    }

    /** The account's waiting messages, oldest first. */
    public java.util.List<StoredMessage> waiting(String account) {
        return store.mailbox(account, mailboxCapacity);
    }

    /** Forgets the account's waiting messages through this one, once it was handed to the account's session. */
    public void delivered(String account, StoredMessage message) {
        store.acknowledge(account, message.conversation(), message.msgid());
    }

    private Counter counter(String conversation) {
        synchronized (counters) {
            return counters.computeIfAbsent(conversation, k -> new Counter());
        }
    }

    /** A conversation's last msgid; -1 until read from the store. */
    private static final class Counter {
        long last = -1; // guarded by this
    }
}
