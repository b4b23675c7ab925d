/**
 * The launcher: reads the configuration, finds the plugins, assembles the server with Guice and runs the
 * {@code parley} command. The only module that knows Guice, picocli and the logging backend.
 */
module dev.parley.launcher {
    requires dev.parley.core;
    requires dev.parley.transport.mina;
    // parley chat, send and receive: the protocol client library.
    requires dev.parley.client;
    // HTTP beside TCP: the WebSocket transport, browser client, metrics and admin API.
    requires dev.parley.web;
    // parley hash-password writes the auth plugin's hash format; the plugin owns it.
    requires dev.parley.auth;
    // parley store backup|copy; also puts the SQL store (SQLite, PostgreSQL) in the distribution's lib/.
    requires dev.parley.store.jdbc;
    requires com.google.guice;
    requires jakarta.inject;
    requires info.picocli;
    requires org.slf4j;
    // The distribution's logging set up without Joran while conf/logback.xml is the shipped one.
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;
    // parley bench: the load tool's picocli command.
    requires dev.parley.bench;
    // parley chat: line editing and printing above the input line.
    requires org.jline.terminal;
    requires org.jline.reader;
    // sun.misc.Signal: SIGTERM/SIGINT end in a graceful shutdown and exit code 0 rather than 143/130.
    requires jdk.unsupported;

    uses dev.parley.core.spi.ParleyPlugin;
    // parley.store.url: the memory store (core) and the SQL stores (store-jdbc) in lib/.
    uses dev.parley.core.spi.store.MessageStoreProvider;
    // Only from the lib/cluster/ layer, and only when parley.cluster.enabled = true.
    uses dev.parley.core.spi.cluster.ClusterProvider;

    provides ch.qos.logback.classic.spi.Configurator with dev.parley.launcher.logging.DistributionLogging;

    // picocli sets @Option fields and instantiates subcommands reflectively.
    opens dev.parley.launcher.cli to info.picocli;
    opens dev.parley.launcher.account to info.picocli;
    opens dev.parley.launcher.store to info.picocli;
    opens dev.parley.launcher.client to info.picocli;
    opens dev.parley.launcher.client.chat to info.picocli;
    opens dev.parley.launcher.client.files to info.picocli;
    // Guice calls the package-private @Provides methods and @Inject constructors of these packages.
    opens dev.parley.launcher.config to com.google.guice;
    opens dev.parley.launcher.plugins to com.google.guice;
    opens dev.parley.launcher.server to com.google.guice;
}
