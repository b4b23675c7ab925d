/**
 * Parley's core: the wire protocol model, the plugin SPI and the command dispatcher.
 * It knows no transport library and no injector; the launcher wires it together.
 */
module dev.parley.core {
    requires transitive typesafe.config;
    requires org.slf4j;

    exports dev.parley.core.log;
    exports dev.parley.core.protocol;
    exports dev.parley.core.spi;
    exports dev.parley.core.spi.cluster;
    exports dev.parley.core.spi.store;
    exports dev.parley.core.store;
    exports dev.parley.core.net;
    exports dev.parley.core.server;

    uses dev.parley.core.spi.ParleyPlugin;

    provides dev.parley.core.spi.store.MessageStoreProvider with dev.parley.core.store.MemoryStoreProvider;
}
