package dev.parley.core.net;

/** Core's side of a transport: told about every accepted connection. */
public interface ConnectionHandler {

    /**
     * A connection was accepted (and admitted by the transport's limits).
     *
     * @return the handler that receives this connection's decoded input, in order, from one thread at a time
     */
    InboundHandler connected(Connection connection);
}
