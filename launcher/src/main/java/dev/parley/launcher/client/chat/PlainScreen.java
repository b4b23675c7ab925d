package dev.parley.launcher.client.chat;

import java.io.PrintWriter;

/** stdout when stdin is not a terminal: the same lines, no escape sequences, flushed one by one. */
final class PlainScreen implements ChatScreen {
    private final PrintWriter out;
    private final PrintWriter err;

    PlainScreen(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void status(String line) {
        synchronized (err) {
            err.println(line);
            err.flush();
        }
    }

    @Override
    public synchronized void show(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public boolean interactive() {
        return false;
    }
}
