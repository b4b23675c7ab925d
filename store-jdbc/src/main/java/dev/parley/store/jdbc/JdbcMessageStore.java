package dev.parley.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.Ref;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.core.spi.store.StoredMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MessageStore} in SQLite or PostgreSQL. Appends and deposits go through one {@link GroupCommitWriter};
 * reads, acknowledgements and pruning use the pool's other connections (SQLite in WAL mode lets them read
 * while the writer commits).
 */
public final class JdbcMessageStore implements MessageStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcMessageStore.class);
    private static final String COLUMNS = "conversation, msgid, sent_at, sender, target, body";
    /** Messages deleted per statement when pruning, so that the writer never waits long for SQLite's lock. */
    private static final long PRUNE_CHUNK = 10_000;

    private final StoreUrl url;
    private final HikariDataSource dataSource;
    private final JdbcAccountStore accounts;
    private final GroupCommitWriter writer;

    private JdbcMessageStore(StoreUrl url, HikariDataSource dataSource, JdbcSettings settings) {
        this.url = url;
        this.dataSource = dataSource;
        this.accounts = new JdbcAccountStore(dataSource, url.display());
        this.writer = new GroupCommitWriter(dataSource, url.display(), settings.queueSize(), settings.maxBatch());
    }

    /**
     * Opens the store at that URL, creating a SQLite file's directory, and migrates its schema.
     *
     * @param user     the database user, or null
     * @param password the user's password, or null; never logged
     * @throws StoreUnavailableException naming the URL without credentials, when it cannot be opened
     */
    public static JdbcMessageStore open(StoreUrl url, String user, String password, JdbcSettings settings) {
        if (url.sqlite() != null) {
            checkSqliteFile(url);
        }
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(poolConfig(url, user, password, settings));
        } catch (RuntimeException e) { // Hikari also throws plain RuntimeExceptions, e.g. for a URL the driver refuses
            throw new StoreUnavailableException("cannot open the store at " + url.display() + ": "
                    + rootMessage(e), e);
        }
        try {
            SchemaMigrations.migrate(dataSource, url.dialect(), url.display());
        } catch (SchemaMigrations.IncompatibleStoreException e) {
            dataSource.close();
            throw new StoreUnavailableException(e.getMessage(), e);
        } catch (SQLException | RuntimeException e) {
            dataSource.close();
            throw new StoreUnavailableException("cannot open the store at " + url.display() + ": "
                    + rootMessage(e), e);
        }
        LOG.info("message store open at {}", url.display());
        return new JdbcMessageStore(url, dataSource, settings);
    }

    /** SQLite's own error for these ("unable to open database file") does not say what to fix. */
    private static void checkSqliteFile(StoreUrl url) {
        Path file = url.sqlite();
        Path directory = file.getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot open the store at " + url.display()
                    + ": cannot create the directory " + directory + " (" + e + ")", e);
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new StoreUnavailableException("cannot open the store at " + url.display() + ": the file " + file
                    + " is not writable");
        }
        if (!Files.isWritable(directory)) {
            throw new StoreUnavailableException("cannot open the store at " + url.display() + ": the directory "
                    + directory + " is not writable (SQLite keeps its -wal and -shm files next to the database)");
        }
    }

    private static HikariConfig poolConfig(StoreUrl url, String user, String password, JdbcSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("parley-store");
        config.setJdbcUrl(url.jdbcUrl());
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        config.setValidationTimeout(Math.max(250, settings.connectTimeout().toMillis() / 2));
        long statementSeconds = settings.statementTimeout().toSeconds();
        if (url.dialect() == Dialect.SQLITE) {
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", settings.sqliteSynchronous());
            config.addDataSourceProperty("busy_timeout", String.valueOf(settings.statementTimeout().toMillis()));
        } else {
            // A restarting or unreachable server fails a command within these bounds instead of hanging it.
            long connectSeconds = Math.max(1, settings.connectTimeout().toSeconds());
            config.addDataSourceProperty("connectTimeout", String.valueOf(connectSeconds));
            config.addDataSourceProperty("loginTimeout", String.valueOf(connectSeconds));
            config.addDataSourceProperty("socketTimeout", String.valueOf(statementSeconds));
            config.addDataSourceProperty("ApplicationName", "parley");
        }
        return config;
    }

    /** The URL this store was opened with, without credentials. */
    public String displayUrl() {
        return url.display();
    }

    /** A connection of the pool, for maintenance ({@link StoreMaintenance}); the caller closes it. */
    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Which database this store is in. */
    public Dialect dialect() {
        return url.dialect();
    }

    @Override
    public CompletionStage<Void> append(StoredMessage message) {
        Objects.requireNonNull(message, "message");
        return writer.append(message);
    }

    @Override
    public CompletionStage<Void> insert(StoredMessage message) {
        Objects.requireNonNull(message, "message");
        return writer.insert(message);
    }

    @Override
    public CompletionStage<Boolean> deposit(String account, StoredMessage message, int capacity) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(message, "message");
        return writer.deposit(account, message, capacity);
    }

    @Override
    public OptionalLong lastMsgId(String conversation) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT last_msgid FROM conversation WHERE name = ?")) {
            query.setString(1, conversation);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw unavailable("read", e);
        }
    }

    @Override
    public boolean contains(String conversation, long msgid) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement kept = connection.prepareStatement(
                     "SELECT 1 FROM message WHERE conversation = ? AND msgid = ?");
             PreparedStatement pruned = connection.prepareStatement(
                     "SELECT pruned_through FROM conversation WHERE name = ?")) {
            kept.setString(1, conversation);
            kept.setLong(2, msgid);
            try (ResultSet row = kept.executeQuery()) {
                if (row.next()) {
                    return true;
                }
            }
            pruned.setString(1, conversation);
            try (ResultSet row = pruned.executeQuery()) {
                return msgid >= 1 && row.next() && msgid <= row.getLong(1);
            }
        } catch (SQLException e) {
            throw unavailable("read", e);
        }
    }

    @Override
    public List<StoredMessage> page(String conversation, Page page) {
        Objects.requireNonNull(conversation, "conversation");
        try (Connection connection = dataSource.getConnection()) {
            return new Pages(connection, conversation).read(page);
        } catch (SQLException e) {
            throw unavailable("read", e);
        }
    }

    @Override
    public List<StoredMessage> mailbox(String account, int limit) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS
                     + " FROM mailbox WHERE account = ? ORDER BY id LIMIT ?")) {
            query.setString(1, account);
            query.setInt(2, limit);
            return messages(query);
        } catch (SQLException e) {
            throw unavailable("read", e);
        }
    }

    @Override
    public void acknowledge(String account, String conversation, long msgid) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM mailbox WHERE account = ? AND id <="
                     + " (SELECT MAX(id) FROM mailbox WHERE account = ? AND conversation = ? AND msgid = ?)")) {
            delete.setString(1, account);
            delete.setString(2, account);
            delete.setString(3, conversation);
            delete.setLong(4, msgid);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw unavailable("acknowledge", e);
        }
    }

    @Override
    public long prune(Instant olderThan, long maxPerConversation) {
        if (maxPerConversation < 0) {
            throw new IllegalArgumentException("maxPerConversation is at least 0: " + maxPerConversation);
        }
        try (Connection connection = dataSource.getConnection()) {
            List<String> conversations = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT name FROM conversation");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    conversations.add(rows.getString(1));
                }
            }
            long forgotten = 0;
            for (String conversation : conversations) {
                forgotten += prune(connection, conversation, olderThan, maxPerConversation);
            }
            return forgotten;
        } catch (SQLException e) {
            throw unavailable("prune", e);
        }
    }

    /** Forgets a prefix of the conversation: messages are only ever forgotten oldest first. */
    private static long prune(Connection connection, String conversation, Instant olderThan, long max)
            throws SQLException {
        long through = 0;
        try (PreparedStatement byCount = connection.prepareStatement(
                "SELECT msgid FROM message WHERE conversation = ? ORDER BY msgid DESC LIMIT 1 OFFSET ?")) {
            byCount.setString(1, conversation);
            byCount.setLong(2, max);
            try (ResultSet row = byCount.executeQuery()) {
                if (row.next()) {
                    through = row.getLong(1);
                }
            }
        }
        if (olderThan != null) {
            try (PreparedStatement byAge = connection.prepareStatement(
                    "SELECT MAX(msgid) FROM message WHERE conversation = ? AND sent_at < ?")) {
                byAge.setString(1, conversation);
                byAge.setLong(2, olderThan.toEpochMilli());
                try (ResultSet row = byAge.executeQuery()) {
                    if (row.next()) {
                        through = Math.max(through, row.getLong(1));
                    }
                }
            }
        }
        if (through == 0) {
            return 0;
        }
        long first;
        try (PreparedStatement oldest = connection.prepareStatement(
                "SELECT MIN(msgid) FROM message WHERE conversation = ?")) {
            oldest.setString(1, conversation);
            try (ResultSet row = oldest.executeQuery()) {
                row.next();
                first = row.getLong(1);
            }
        }
        long forgotten = 0;
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM message WHERE conversation = ? AND msgid <= ?");
             PreparedStatement mark = connection.prepareStatement(
                     "UPDATE conversation SET pruned_through = ? WHERE name = ? AND pruned_through < ?")) {
            for (long upTo = Math.min(through, first + PRUNE_CHUNK - 1); ; upTo = Math.min(through, upTo + PRUNE_CHUNK)) {
                connection.setAutoCommit(false);
                try {
                    delete.setString(1, conversation);
                    delete.setLong(2, upTo);
                    forgotten += delete.executeUpdate();
                    mark.setLong(1, upTo);
                    mark.setString(2, conversation);
                    mark.setLong(3, upTo);
                    mark.executeUpdate();
                    connection.commit();
                } catch (SQLException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
                if (upTo >= through) {
                    return forgotten;
                }
            }
        }
    }

    @Override
    public void groupCompletions(Consumer<Runnable> around) {
        writer.groupCompletions(around);
    }

    @Override
    public Optional<AccountStore> accounts() {
        return Optional.of(accounts);
    }

    @Override
    public boolean sharedByServers() {
        return url.sqlite() == null;
    }

    @Override
    public boolean isAvailable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (dataSource.isClosed()) {
            return;
        }
        writer.close();
        dataSource.close();
        LOG.info("message store at {} closed", url.display());
    }

    private StoreUnavailableException unavailable(String what, SQLException e) {
        return new StoreUnavailableException("the store at " + url.display() + " could not " + what + ": "
                + e.getMessage(), e);
    }

    static List<StoredMessage> messages(PreparedStatement query) throws SQLException {
        List<StoredMessage> messages = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                messages.add(new StoredMessage(rows.getString(1), rows.getLong(2),
                        Instant.ofEpochMilli(rows.getLong(3)), rows.getString(4), rows.getString(5), rows.getString(6)));
            }
        }
        return messages;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        return StoreUrl.redact(message);
    }

    /** A page query: the conversation's messages that pass {@code where}, in {@code order}, up to a limit. */
    static String pageSql(String where, String order) {
        return "SELECT " + COLUMNS + " FROM message WHERE conversation = ? " + where + " " + order + " LIMIT ?";
    }

    /** The queries of one page, on one connection. */
    private static final class Pages {
        private final Connection connection;
        private final String conversation;

        Pages(Connection connection, String conversation) {
            this.connection = connection;
            this.conversation = conversation;
        }

        List<StoredMessage> read(Page page) throws SQLException {
            return switch (page.direction()) {
                case LATEST -> ascending(query("", "ORDER BY msgid DESC", page.limit()));
                case BEFORE -> before(page.from(), page.limit());
                case AFTER -> atOrAfter(page.from(), false, page.limit());
                case AROUND -> around(page.from(), page.limit());
                case BETWEEN -> between(page.from(), page.to(), page.limit());
            };
        }

        private List<StoredMessage> before(Ref ref, int limit) throws SQLException {
            return ascending(ref instanceof Ref.MsgId id
                    ? query("AND msgid < ?", "ORDER BY msgid DESC", limit, id.msgid())
                    : query("AND sent_at < ?", "ORDER BY sent_at DESC, msgid DESC", limit, millis(ref)));
        }

        /** Messages newer than the ref, or for a msgid ref with {@code inclusive}, from it on. */
        private List<StoredMessage> atOrAfter(Ref ref, boolean inclusive, int limit) throws SQLException {
            return ascending(ref instanceof Ref.MsgId id
                    ? query(inclusive ? "AND msgid >= ?" : "AND msgid > ?", "ORDER BY msgid", limit, id.msgid())
                    : query("AND sent_at >= ?", "ORDER BY sent_at, msgid", limit, millis(ref)));
        }

        private List<StoredMessage> around(Ref ref, int limit) throws SQLException {
            List<StoredMessage> older = limit / 2 == 0 ? List.of() : before(ref, limit / 2);
            List<StoredMessage> page = new ArrayList<>(older);
            page.addAll(atOrAfter(ref, true, limit - older.size()));
            return page;
        }

        private List<StoredMessage> between(Ref from, Ref to, int limit) throws SQLException {
            boolean fromIsOlder = isOlder(from, to);
            Ref lower = fromIsOlder ? from : to;
            Ref upper = fromIsOlder ? to : from;
            List<Object> parameters = new ArrayList<>();
            StringBuilder where = new StringBuilder();
            if (lower instanceof Ref.MsgId id) {
                where.append("AND msgid > ? ");
                parameters.add(id.msgid());
            } else {
                where.append("AND sent_at >= ? ");
                parameters.add(millis(lower));
            }
            if (upper instanceof Ref.MsgId id) {
                where.append("AND msgid < ?");
                parameters.add(id.msgid());
            } else {
                where.append("AND sent_at < ?");
                parameters.add(millis(upper));
            }
            String order = lower instanceof Ref.At && upper instanceof Ref.At ? "ORDER BY sent_at, msgid"
                    : "ORDER BY msgid";
            return ascending(query(where.toString(), order, limit, parameters.toArray()));
        }

        /** Whether {@code a} lies before {@code b}; a msgid against a time compares the message's time. */
        private boolean isOlder(Ref a, Ref b) throws SQLException {
            if (a instanceof Ref.MsgId x && b instanceof Ref.MsgId y) {
                return x.msgid() <= y.msgid();
            }
            if (a instanceof Ref.At x && b instanceof Ref.At y) {
                return !x.time().isAfter(y.time());
            }
            return a instanceof Ref.MsgId id
                    ? timeOf(id.msgid()) < ((Ref.At) b).time().toEpochMilli()
                    : timeOf(((Ref.MsgId) b).msgid()) >= ((Ref.At) a).time().toEpochMilli();
        }

        /** The time of a kept message; a pruned one lies before every kept message. */
        private long timeOf(long msgid) throws SQLException {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT sent_at FROM message WHERE conversation = ? AND msgid = ?")) {
                query.setString(1, conversation);
                query.setLong(2, msgid);
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? row.getLong(1) : Long.MIN_VALUE;
                }
            }
        }

        private List<StoredMessage> query(String where, String order, int limit, Object... parameters)
                throws SQLException {
            try (PreparedStatement query = connection.prepareStatement(pageSql(where, order))) {
                int index = 1;
                query.setString(index++, conversation);
                for (Object parameter : parameters) {
                    query.setLong(index++, (Long) parameter);
                }
                query.setInt(index, limit);
                return messages(query);
            }
        }

        private static long millis(Ref ref) {
            return ((Ref.At) ref).time().toEpochMilli();
        }

        private static List<StoredMessage> ascending(List<StoredMessage> messages) {
            messages.sort(Comparator.comparingLong(StoredMessage::msgid));
            return messages;
        }
    }
}
