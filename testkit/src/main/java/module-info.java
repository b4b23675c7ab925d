/**
 * Parley's test kit: runs plugins inside a real {@code ServerCore} and talks to them as a client would,
 * in memory ({@link dev.parley.testkit.ParleyTestKit}) or over a loopback socket
 * ({@link dev.parley.testkit.EmbeddedServer}).
 */
module dev.parley.testkit {
    requires transitive dev.parley.core;
    requires dev.parley.transport.mina;
    // EmbeddedServer.open and Answer.toReply: the client library's connection and Reply are part of the kit's API.
    requires transitive dev.parley.client;

    // MessageStoreContract and ChatContract: contract tests, run by each store's and chat deployment's test class.
    requires org.junit.jupiter.api;
    requires org.assertj.core;

    exports dev.parley.testkit;
    exports dev.parley.testkit.store;
    exports dev.parley.testkit.chat;

    // findPlugin: plugins on the test module path, found by name as the server finds them.
    uses dev.parley.core.spi.ParleyPlugin;
}
