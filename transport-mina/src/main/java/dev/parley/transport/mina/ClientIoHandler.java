package dev.parley.transport.mina;

import dev.parley.core.protocol.Frame;
import dev.parley.transport.mina.codec.DecodeError;
import java.io.IOException;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Passes one client connection's frames to its listener; MINA calls it from one thread at a time. */
final class ClientIoHandler extends IoHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientIoHandler.class);

    private final ClientListener listener;
    private final Runnable onClosed;
    private volatile Throwable failure;

    ClientIoHandler(ClientListener listener, Runnable onClosed) {
        this.listener = listener;
        this.onClosed = onClosed;
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        if (message instanceof Frame frame) {
            listener.frame(frame);
        } else if (message instanceof DecodeError error) {
            // A client cannot answer a server's bad line; it skips it. A fatal one leaves the stream unreadable.
            log.debug("dropped an undecodable line from {}: {} {}", session.getRemoteAddress(),
                    error.error().code(), error.error().getMessage());
            if (error.fatal()) {
                failure = error.error();
                session.closeNow();
            }
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("I/O error on {}: {}", session.getRemoteAddress(), cause.toString());
        } else {
            log.warn("unexpected error on {}; closing it", session.getRemoteAddress(), cause);
        }
        if (failure == null) {
            failure = cause;
        }
        session.closeNow();
    }

    @Override
    public void sessionClosed(IoSession session) {
        try {
            listener.disconnected(failure);
        } catch (RuntimeException e) {
            log.warn("client listener failed on disconnect", e);
        } finally {
            onClosed.run();
        }
    }
}
