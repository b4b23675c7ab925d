package dev.parley.transport.mina;

import java.net.InetSocketAddress;
import javax.net.ssl.SSLEngine;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * MINA's SslFilter for a client, made to check the certificate against the host name the user typed: MINA
 * would create the engine for the socket's remote address, which holds only the IP once connected.
 */
final class ClientSslFilter extends SslFilter {
    private final String host;

    ClientSslFilter(ClientTls tls, String host) {
        super(tls.context());
        this.host = host;
        setEnabledProtocols(TlsContexts.PROTOCOLS);
        // MINA's non-blocking pipeline runs handshake tasks on its own executor and only stores their failure,
        // so an untrusted certificate would leave the client waiting forever; this pipeline reports it at once.
        setUseNonBlockingPipeline(false);
        if (tls.verifyHostname()) {
            setEndpointIdentificationAlgorithm("HTTPS");
        }
    }

    @Override
    protected SSLEngine createEngine(IoSession session, InetSocketAddress address) {
        return super.createEngine(session, InetSocketAddress.createUnresolved(host, address.getPort()));
    }
}
