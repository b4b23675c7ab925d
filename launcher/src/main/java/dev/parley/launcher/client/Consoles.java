package dev.parley.launcher.client;

import java.io.Console;

/** Whether the client talks to a person at a terminal or to a script. */
public final class Consoles {
    private Consoles() {
    }

    /**
     * True when stdin and stdout are both a terminal. Java 17's {@code System.console()} is null otherwise;
     * from Java 22 it may return a console anyway, and {@code Console.isTerminal()} tells.
     */
    public static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
