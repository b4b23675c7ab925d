package dev.parley.store.jdbc;

/** What differs between the two databases: the DDL of the first migration and the row id of the mailbox. */
public enum Dialect {
    SQLITE,
    POSTGRESQL;

    /** The statements that create schema version 1. */
    String[] createSchema() {
        // Times are milliseconds since the epoch: exact, ordered and portable between the two databases.
        String withoutRowId = this == SQLITE ? " WITHOUT ROWID" : "";
        String mailboxId = this == SQLITE ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
        return new String[] {
            // One row: which schema wrote the store and the oldest schema that may still use it.
            "CREATE TABLE parley_store (id INTEGER PRIMARY KEY CHECK (id = 1), schema_version INTEGER NOT NULL,"
                    + " compatible_from INTEGER NOT NULL)",
            "INSERT INTO parley_store (id, schema_version, compatible_from) VALUES (1, 1, 1)",
            // A conversation's numbering outlives its pruned messages.
            "CREATE TABLE conversation (name TEXT PRIMARY KEY, last_msgid BIGINT NOT NULL,"
                    + " pruned_through BIGINT NOT NULL DEFAULT 0)" + withoutRowId,
            // Clustered on (conversation, msgid) in SQLite: a page is one range of one b-tree.
            "CREATE TABLE message (conversation TEXT NOT NULL, msgid BIGINT NOT NULL, sent_at BIGINT NOT NULL,"
                    + " sender TEXT NOT NULL, target TEXT NOT NULL, body TEXT NOT NULL,"
                    + " PRIMARY KEY (conversation, msgid))" + withoutRowId,
            "CREATE INDEX message_by_time ON message (conversation, sent_at, msgid)",
            "CREATE TABLE mailbox (id " + mailboxId + ", account TEXT NOT NULL, conversation TEXT NOT NULL,"
                    + " msgid BIGINT NOT NULL, sent_at BIGINT NOT NULL, sender TEXT NOT NULL, target TEXT NOT NULL,"
                    + " body TEXT NOT NULL)",
            "CREATE INDEX mailbox_by_account ON mailbox (account, id)",
        };
    }
}
