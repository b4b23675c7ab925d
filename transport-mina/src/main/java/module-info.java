/**
 * The MINA transport: acceptor and connector with Parley's frame codec as filters.
 *
 * <p>Exports only the API ({@code MinaServer}, {@code MinaClient}, {@code ClientListener},
 * {@code TransportSettings}); the codec stays internal. No {@code opens}: MINA (an automatic module, which
 * reads every module) calls our encoder, decoder and handlers through its public interfaces and never
 * reflects on our classes, and nothing here is built by Guice. Surefire's silent --add-opens therefore hides
 * nothing the real launch needs. MINA types appear in no exported signature, so MINA is not required
 * transitively; the launcher only needs {@code requires dev.parley.transport.mina} (with MINA on the module
 * path).
 */
module dev.parley.transport.mina {
    requires transitive dev.parley.core;
    requires org.apache.mina.core;
    requires org.slf4j;
    requires java.management;
    requires jdk.management;

    exports dev.parley.transport.mina;
}
