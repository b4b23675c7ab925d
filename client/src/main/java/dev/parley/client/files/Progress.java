package dev.parley.client.files;

/** Hears how a transfer goes; called from the thread doing it. */
public interface Progress {

    /** Does nothing: for pipes, scripts and transfers started from the chat. */
    Progress NONE = new Progress() {
    };

    default void start(String name, long total, long done) {
    }

    default void advance(long bytes) {
    }

    default void finish() {
    }
}
