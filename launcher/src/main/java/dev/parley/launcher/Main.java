package dev.parley.launcher;

import dev.parley.launcher.cli.ParleyCommand;

/** Entry point of the {@code parley} command; {@code bin/parley} starts it. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(ParleyCommand.commandLine().execute(args));
    }
}
