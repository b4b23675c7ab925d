package dev.parley.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.core.spi.store.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread per store that writes appends and deposits: it takes what waits in a bounded queue (up to
 * {@code maxBatch}), writes it in one transaction and completes every stage of that batch after the commit, in
 * the order they were submitted. A failed commit fails every stage of its batch; the next batch takes a fresh
 * connection from the pool, so the store recovers by itself once the database answers again.
 *
 * <p>Stages complete on this thread, a batch's inside one call of the server's {@code groupCompletions} hook (so
 * that what the completions send leaves together): callers chain only quick, non-blocking work onto them.
 */
final class GroupCommitWriter {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final String INSERT_MESSAGE = "INSERT INTO message (conversation, msgid, sent_at, sender, target,"
            + " body) VALUES (?, ?, ?, ?, ?, ?)";
    /** An insert (numbered elsewhere, in any order) that keeps what the conversation holds under that msgid. */
    private static final String INSERT_NUMBERED = INSERT_MESSAGE + " ON CONFLICT (conversation, msgid) DO NOTHING";
    /** Raises the conversation's last msgid, never lowers it: inserts from several servers arrive out of order. */
    private static final String UPSERT_CONVERSATION = "INSERT INTO conversation (name, last_msgid) VALUES (?, ?)"
            + " ON CONFLICT (name) DO UPDATE SET last_msgid = CASE WHEN excluded.last_msgid > conversation.last_msgid"
            + " THEN excluded.last_msgid ELSE conversation.last_msgid END";
    private static final String INSERT_MAILBOX = "INSERT INTO mailbox (account, conversation, msgid, sent_at, sender,"
            + " target, body) VALUES (?, ?, ?, ?, ?, ?, ?)";

    private final HikariDataSource dataSource;
    private final String displayUrl;
    private final int maxBatch;
    private final BlockingQueue<Write> queue;
    private final Thread thread;
    private volatile boolean closed;
    /** Runs the completion of a committed batch (see MessageStore#groupCompletions); at first, just runs it. */
    private volatile Consumer<Runnable> aroundCompletion = Runnable::run;

    GroupCommitWriter(HikariDataSource dataSource, String displayUrl, int queueSize, int maxBatch) {
        this.dataSource = dataSource;
        this.displayUrl = displayUrl;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.thread = new Thread(this::run, "parley-store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** A write waiting for its commit. */
    private sealed interface Write permits Append, Deposit {
        CompletableFuture<?> result();
    }

    /** @param inOrder an append above the conversation's last msgid (false: an insert, see MessageStore#insert) */
    private record Append(StoredMessage message, boolean inOrder, CompletableFuture<Void> result) implements Write {
    }

    private record Deposit(String account, StoredMessage message, int capacity, CompletableFuture<Boolean> result)
            implements Write {
    }

    void groupCompletions(Consumer<Runnable> around) {
        aroundCompletion = around;
    }

    CompletableFuture<Void> append(StoredMessage message) {
        return submit(new Append(message, true, new CompletableFuture<>()));
    }

    CompletableFuture<Void> insert(StoredMessage message) {
        return submit(new Append(message, false, new CompletableFuture<>()));
    }

    CompletableFuture<Boolean> deposit(String account, StoredMessage message, int capacity) {
        return submit(new Deposit(account, message, capacity, new CompletableFuture<>()));
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> submit(Write write) {
        CompletableFuture<T> result = (CompletableFuture<T>) write.result();
        if (closed) {
            result.completeExceptionally(new StoreUnavailableException("the store at " + displayUrl + " is closed"));
        } else if (!queue.offer(write)) {
            result.completeExceptionally(new StoreUnavailableException("the store at " + displayUrl
                    + " has " + queue.size() + " writes waiting: try again later"));
        }
        return result;
    }

    /** Commits what waits, then stops the thread; writes submitted after this fail. */
    void close() {
        closed = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A write offered while the thread made its last check is failed rather than left pending.
        List<Write> stranded = new ArrayList<>();
        queue.drainTo(stranded);
        StoreUnavailableException closedError = new StoreUnavailableException("the store at " + displayUrl
                + " is closed");
        stranded.forEach(write -> write.result().completeExceptionally(closedError));
    }

    private void run() {
        List<Write> batch = new ArrayList<>(Math.min(maxBatch, 1024));
        while (!closed || !queue.isEmpty()) {
            try {
                Write first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commit(batch);
            } catch (InterruptedException e) {
                // Only close() stops this thread; an interrupt from elsewhere is ignored.
            } catch (RuntimeException | Error e) {
                LOG.error("the store writer failed a batch of {} writes", batch.size(), e);
                fail(batch, new StoreUnavailableException("the store at " + displayUrl + " failed: " + e, e));
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Write> batch) {
        Map<Write, Object> outcomes = new IdentityHashMap<>();
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            write(connection, batch, outcomes);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            if (connection != null) {
                rollbackQuietly(connection);
                // After SQLITE_FULL, SQLite has already ended the transaction while the driver believes one is
                // open; a PostgreSQL connection may be half broken. A new connection starts clean.
                dataSource.evictConnection(connection);
            }
            LOG.warn("the store at {} could not commit {} writes: {}", displayUrl, batch.size(), e.getMessage());
            fail(batch, new StoreUnavailableException("the store at " + displayUrl + " could not commit: "
                    + e.getMessage(), e));
            return;
        }
        aroundCompletion.accept(() -> complete(batch, outcomes));
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("returning the writer's connection to the pool failed", e);
        }
    }

    /** Writes the batch in one transaction; the outcome of each write that is not a plain success is recorded. */
    private void write(Connection connection, List<Write> batch, Map<Write, Object> outcomes) throws SQLException {
        Map<String, Long> lastMsgIds = lastMsgIds(connection, batch);
        // Sorted: servers of a cluster commit to one PostgreSQL, and rows locked in one order cannot deadlock.
        Map<String, Long> changed = new TreeMap<>();
        Map<String, Integer> mailboxSizes = new HashMap<>();
        List<Append> inserted = new ArrayList<>();
        boolean appended = false;
        try (PreparedStatement messages = connection.prepareStatement(INSERT_MESSAGE);
             PreparedStatement numbered = connection.prepareStatement(INSERT_NUMBERED);
             PreparedStatement mailbox = connection.prepareStatement(INSERT_MAILBOX)) {
            for (Write write : batch) {
                if (write instanceof Append append && !append.inOrder()) {
                    StoredMessage message = append.message();
                    changed.merge(message.conversation(), message.msgid(), Math::max);
                    bind(numbered, 1, message);
                    numbered.addBatch();
                    inserted.add(append);
                } else if (write instanceof Append append) {
                    StoredMessage message = append.message();
                    long last = lastMsgIds.getOrDefault(message.conversation(), 0L);
                    if (message.msgid() <= last) {
                        outcomes.put(write, new IllegalArgumentException("msgid " + message.msgid() + " of "
                                + message.conversation() + " is not above its last msgid " + last));
                        continue;
                    }
                    lastMsgIds.put(message.conversation(), message.msgid());
                    changed.merge(message.conversation(), message.msgid(), Math::max);
                    appended = true;
                    bind(messages, 1, message);
                    messages.addBatch();
                } else if (write instanceof Deposit deposit) {
                    int size = mailboxSizes.containsKey(deposit.account()) ? mailboxSizes.get(deposit.account())
                            : mailboxSize(connection, deposit.account());
                    if (size >= deposit.capacity()) {
                        mailboxSizes.put(deposit.account(), size);
                        outcomes.put(write, Boolean.FALSE);
                        continue;
                    }
                    mailboxSizes.put(deposit.account(), size + 1);
                    mailbox.setString(1, deposit.account());
                    bind(mailbox, 2, deposit.message());
                    mailbox.addBatch();
                    outcomes.put(write, Boolean.TRUE);
                }
            }
            if (!inserted.isEmpty()) {
                int[] counts = numbered.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0) { // the conflict clause kept the row already there
                        StoredMessage message = inserted.get(i).message();
                        outcomes.put(inserted.get(i), new IllegalArgumentException("msgid " + message.msgid()
                                + " of " + message.conversation() + " is kept already"));
                    }
                }
            }
            if (appended) {
                messages.executeBatch();
            }
            if (!changed.isEmpty()) {
                try (PreparedStatement conversations = connection.prepareStatement(UPSERT_CONVERSATION)) {
                    for (Map.Entry<String, Long> entry : changed.entrySet()) {
                        conversations.setString(1, entry.getKey());
                        conversations.setLong(2, entry.getValue());
                        conversations.addBatch();
                    }
                    conversations.executeBatch();
                }
            }
            if (!mailboxSizes.isEmpty()) {
                mailbox.executeBatch();
            }
        }
    }

    private static void bind(PreparedStatement statement, int first, StoredMessage message) throws SQLException {
        statement.setString(first, message.conversation());
        statement.setLong(first + 1, message.msgid());
        statement.setLong(first + 2, message.time().toEpochMilli());
        statement.setString(first + 3, message.sender());
        statement.setString(first + 4, message.target());
        statement.setString(first + 5, message.text());
    }

    private static Map<String, Long> lastMsgIds(Connection connection, List<Write> batch) throws SQLException {
        Map<String, Long> last = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT last_msgid FROM conversation WHERE name = ?")) {
            for (Write write : batch) {
                if (write instanceof Append append && append.inOrder()
                        && !last.containsKey(append.message().conversation())) {
                    query.setString(1, append.message().conversation());
                    try (ResultSet row = query.executeQuery()) {
                        last.put(append.message().conversation(), row.next() ? row.getLong(1) : 0L);
                    }
                }
            }
        }
        return last;
    }

    private static int mailboxSize(Connection connection, String account) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM mailbox WHERE account = ?")) {
            query.setString(1, account);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void complete(List<Write> batch, Map<Write, Object> outcomes) {
        for (Write write : batch) {
            Object outcome = outcomes.get(write);
            if (outcome instanceof Throwable error) {
                write.result().completeExceptionally(error);
            } else if (write instanceof Deposit deposit) {
                deposit.result().complete((Boolean) outcome);
            } else {
                ((CompletableFuture<Void>) write.result()).complete(null);
            }
        }
    }

    private static void fail(List<Write> batch, StoreUnavailableException error) {
        batch.forEach(write -> write.result().completeExceptionally(error));
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback after a failed commit failed too", e);
        }
    }
}
