package dev.parley.launcher.client.chat;

/** Where {@code parley chat} shows lines: above the input line on a terminal, or stdout when piped. */
interface ChatScreen {

    /** Shows one line; safe to call from any thread. The line is already escaped. */
    void show(String line);

    /** Shows how the connection fares (reconnecting, back); piped, these go to stderr, not the transcript. */
    default void status(String line) {
        show(line);
    }

    /** True on a terminal: one's own messages are echoed, since nobody else will show them. */
    boolean interactive();
}
