/** The MINA transport: acceptor and connector with Parley's frame codec as filters. */
module dev.parley.transport.mina {
    requires transitive dev.parley.core;
    requires org.apache.mina.core;
    requires org.slf4j;

    exports dev.parley.transport.mina;
}
