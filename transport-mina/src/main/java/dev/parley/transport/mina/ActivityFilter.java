package dev.parley.transport.mina;

import dev.parley.core.net.InboundHandler;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;

/**
 * Tells core about every read, before the codec: bytes of a line or payload still streaming in are a sign of
 * life (the heartbeat must not time out an upload in progress).
 */
final class ActivityFilter extends IoFilterAdapter {
    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        InboundHandler inbound = ServerIoHandler.inbound(session);
        if (inbound != null) {
            inbound.activity();
        }
        next.messageReceived(session, message);
    }
}
