package dev.parley.core.server;

import dev.parley.core.net.Connection;
import dev.parley.core.net.CutOff;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.core.protocol.ProtocolException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One connection attached to a session: the transport's {@link InboundHandler} for it. A resumed session
 * gets a new attachment, so input still arriving from a connection it left behind is recognised as stale
 * and dropped.
 */
final class Attachment implements InboundHandler {
    private static final VarHandle BYE_SENT;

    static {
        try {
            BYE_SENT = MethodHandles.lookup().findVarHandle(Attachment.class, "byeSent", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Connection connection;
    private volatile ServerSession session;
    private volatile long lastInbound = System.nanoTime();
    /** Set once through BYE_SENT; a field rather than an AtomicBoolean saves every connection 16 bytes. */
    @SuppressWarnings("unused") // written through BYE_SENT
    private volatile boolean byeSent;

    Attachment(Connection connection) {
        this.connection = connection;
    }

    void bind(ServerSession session) {
        this.session = session;
    }

    /** Nanoseconds since bytes last arrived. */
    long idleNanos() {
        return System.nanoTime() - lastInbound;
    }

    /** Writes the BYE frame once, then closes the connection once it is flushed. */
    void bye(Frame bye) {
        if (BYE_SENT.compareAndSet(this, false, true)) {
            connection.write(FrameWriter.encode(bye));
        }
        connection.close();
    }

    @Override
    public void activity() {
        lastInbound = System.nanoTime();
    }

    @Override
    public void frame(Frame frame) {
        lastInbound = System.nanoTime();
        session.inbound(this, frame);
    }

    @Override
    public void malformed(ProtocolException error, boolean fatal) {
        lastInbound = System.nanoTime();
        session.inbound(this, new ServerSession.Malformed(error, fatal));
    }

    @Override
    public long queuedInputBytes() {
        return session.queuedInputBytes();
    }

    @Override
    public void cutOff(CutOff cause) {
        session.cutOff(cause);
    }

    @Override
    public void closed() {
        session.inbound(this, new ServerSession.Closed(this));
    }

    @Override
    public String toString() {
        return "connection from " + connection.remoteAddress();
    }
}
