/** The launcher: assembles the server and runs the parley command. */
module dev.parley.launcher {
    requires dev.parley.core;
}
