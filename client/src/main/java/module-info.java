/**
 * Parley's client library: a Java application or bot talks to a Parley server without the {@code parley}
 * command. {@link dev.parley.client.ParleyConnection} is one connection (ordered replies, events on a
 * dispatch thread, {@code PING} answered); {@link dev.parley.client.ReconnectingLink} survives a broken
 * connection and takes the session back with {@code RESUME}; {@code dev.parley.client.files} sends and
 * receives files. See docs/client.md.
 */
module dev.parley.client {
    requires transitive dev.parley.core;
    requires dev.parley.transport.mina;
    requires org.slf4j;

    exports dev.parley.client;
    exports dev.parley.client.files;
}
