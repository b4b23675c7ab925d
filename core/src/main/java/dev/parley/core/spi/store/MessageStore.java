package dev.parley.core.spi.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Keeps room history and private messages durably. Thread-safe. Methods that return a stage never block the
 * caller; the others may block briefly on I/O and so are called from worker threads only.
 *
 * <p>Failures: a stage that completes exceptionally, or a method that throws, does so with
 * {@link StoreUnavailableException} when the store cannot serve now; nothing the call was given was kept.
 */
public interface MessageStore extends AutoCloseable {

    /**
     * Keeps a message. The stage completes once the message is durable (committed: it survives a crash of
     * this process), and only then may anyone be told of it. Implementations commit many appends together
     * (group commit); appends of one conversation are kept in the order they were called, and a caller
     * appends a conversation's msgids in increasing order.
     *
     * <p>Callers append while holding their own lock (a room's, so that call order is msgid order) and react to
     * the stage under another caller's lock: so the returned stage is either complete already, or completed
     * later by a thread of the store's own, never by another caller's {@code append} (whose thread may hold
     * another room's lock).
     */
    CompletionStage<Void> append(StoredMessage message);

    /**
     * Keeps a message numbered elsewhere, in whatever order such messages arrive: a cluster's room is numbered by
     * the member sequencing its log, and each server writes the messages its own sessions sent, so the store sees
     * a conversation's msgids from several writers out of order. Unlike {@link #append} a msgid below the
     * conversation's last is kept too, as long as the conversation does not hold that msgid already (then the
     * stage fails with {@link IllegalArgumentException} and nothing else of the batch is affected);
     * {@link #lastMsgId} becomes the highest msgid kept. Committed together with other writes and completed as
     * {@link #append}'s stage is.
     *
     * <p>The default appends: enough for a store only a single server uses, which never calls this; a store the
     * servers of a cluster share overrides it (testkit's {@code MessageStoreContract} checks it).
     */
    default CompletionStage<Void> insert(StoredMessage message) {
        return append(message);
    }

    /** The highest msgid kept in the conversation, empty when it has none: numbering continues after it. */
    OptionalLong lastMsgId(String conversation);

    /** True when the conversation has (or had, before pruning) a message with that msgid. */
    boolean contains(String conversation, long msgid);

    /** A page of the conversation's messages, oldest first (see {@link Page}). */
    List<StoredMessage> page(String conversation, Page page);

    /**
     * Puts a private message in an account's mailbox for its owner's next login, unless it holds
     * {@code capacity} messages already. Durable when the stage completes, like {@link #append}.
     *
     * @return true when it was stored, false when the mailbox was full
     */
    CompletionStage<Boolean> deposit(String account, StoredMessage message, int capacity);

    /** The account's waiting messages, oldest first, at most {@code limit}. */
    List<StoredMessage> mailbox(String account, int limit);

    /**
     * Removes the account's waiting messages up to and including the one with this conversation and msgid,
     * once they were delivered.
     */
    void acknowledge(String account, String conversation, long msgid);

    /**
     * Forgets messages older than {@code olderThan} (none when null) and, in every conversation, all but the
     * newest {@code maxPerConversation}; the numbering of a conversation continues where it was.
     *
     * @return how many messages were forgotten
     */
    long prune(Instant olderThan, long maxPerConversation);

    /**
     * Lets the server run the completion of each committed batch of writes: a store that commits many appends
     * together calls {@code around} on its writer thread with a task that completes every stage of one batch, and
     * runs that task nowhere else. The server holds the events those completions send (the batch's messages fanned
     * out to their rooms) and writes them to each recipient at once, rather than one system call per message and
     * recipient. Called once, before the first write; {@code around} runs the task on the calling thread and does
     * not throw. The default ignores it: a store whose stages complete on the caller's thread has nothing to group.
     */
    default void groupCompletions(Consumer<Runnable> around) {
    }

    /**
     * The accounts and room moderation state kept in the same store, if this store keeps them; the server offers
     * it to plugins as {@link AccountStore}. Closed with this store.
     */
    default Optional<AccountStore> accounts() {
        return Optional.empty();
    }

    /**
     * Whether every server that opens this store's URL sees the same messages (a database server), so that one
     * server of a cluster can find what another committed. False for stores kept by one process (memory, an
     * SQLite file). Since SPI 1.5.
     */
    default boolean sharedByServers() {
        return false;
    }

    /** Whether the store answers now (for readiness checks); never throws. */
    boolean isAvailable();

    /**
     * Commits what was appended and releases the store. Calls after it fail with
     * {@link StoreUnavailableException}; closing again does nothing.
     */
    @Override
    void close();
}
