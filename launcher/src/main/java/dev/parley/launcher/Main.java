package dev.parley.launcher;

import dev.parley.launcher.cli.ParleyCommand;

/** Entry point of the {@code parley} command; {@code bin/parley} starts it. */
public final class Main {
    /** Guice's switch for generated fast-class and AOP bytecode. */
    private static final String GUICE_BYTECODE_GEN = "guice_bytecode_gen_option";

    private Main() {
    }

    public static void main(String[] args) {
        // Guice generates its classes through sun.misc.Unsafe, which Java 24+ warns about on stderr at every
        // start. Parley uses no method interception, and reflection is fast enough for a one-off assembly.
        // Set before any Guice class initialises; -Dguice_bytecode_gen_option=... in JAVA_OPTS still wins.
        if (System.getProperty(GUICE_BYTECODE_GEN) == null) {
            System.setProperty(GUICE_BYTECODE_GEN, "DISABLED");
        }
        System.exit(ParleyCommand.commandLine(args).execute(args));
    }
}
