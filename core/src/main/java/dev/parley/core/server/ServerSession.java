package dev.parley.core.server;

import dev.parley.core.net.Connection;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.core.protocol.ProtocolException;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Session;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A session on one connection. Input is queued in a bounded inbox and drained by one worker at a time, so
 * a session's commands run in arrival order without a thread of its own; a command that completes
 * asynchronously holds back the next one until its final reply is written.
 */
final class ServerSession implements Session, InboundHandler {

    /** Items drained in one go before yielding the worker to other sessions. */
    private static final int DRAIN_BATCH = 64;

    private record Malformed(ProtocolException error, boolean fatal) {
    }

    /** The connection closed: end the session once what was queued before it is done. */
    private static final Object END = new Object();
    /** Graceful shutdown: answer what is queued, then say BYE SHUTDOWN. */
    private static final Object SHUTDOWN = new Object();

    private final long id;
    private final Connection connection;
    private final ServerCore server;
    private final int maxQueued;
    private volatile String name;

    private final ArrayDeque<Object> inbox = new ArrayDeque<>(); // guarded by this
    private boolean draining;                                     // guarded by this
    private boolean inputSuspended;                               // guarded by this

    /** Set once the session will run no more commands (QUIT, BYE, shutdown). */
    private volatile boolean closing;
    private volatile boolean ended;
    private volatile String endReason;
    private final AtomicBoolean byeSent = new AtomicBoolean();

    ServerSession(long id, Connection connection, ServerCore server, int maxQueued) {
        this.id = id;
        this.connection = connection;
        this.server = server;
        this.maxQueued = maxQueued;
    }

    // ---- Session ----

    @Override
    public long id() {
        return id;
    }

    @Override
    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    @Override
    public void register(String name) {
        this.name = name;
    }

    @Override
    public void send(Frame event) {
        writeEncoded(FrameWriter.encode(event));
    }

    @Override
    public void close(ByeReason reason, String text) {
        closing = true;
        if (byeSent.compareAndSet(false, true)) {
            if (endReason == null) {
                endReason = text != null ? text : "closed by the server (" + reason.code() + ")";
            }
            connection.write(FrameWriter.encode(reason.frame(text)));
            connection.close();
        }
    }

    @Override
    public boolean isOpen() {
        return !ended && connection.isOpen();
    }

    @Override
    public long pendingBytes() {
        return connection.pendingBytes();
    }

    @Override
    public String toString() {
        return "session " + id + (name != null ? " (" + name + ")" : "") + " from " + remoteAddress();
    }

    // ---- InboundHandler: called on I/O threads, only queue ----

    @Override
    public void frame(Frame frame) {
        enqueue(frame);
    }

    @Override
    public void malformed(ProtocolException error, boolean fatal) {
        enqueue(new Malformed(error, fatal));
    }

    @Override
    public void closed() {
        enqueue(END);
    }

    void shutdown() {
        enqueue(SHUTDOWN);
    }

    // ---- writing ----

    void writeEncoded(byte[] encoded) {
        if (!ended) {
            connection.write(encoded);
        }
    }

    void writeReply(String verb, String id, Reply reply) {
        connection.write(FrameWriter.encode(reply.toFrame(verb, id)));
    }

    /** QUIT: no more commands; the connection closes once the final reply is written. */
    void quit(String reason) {
        closing = true;
        endReason = reason;
    }

    boolean isClosing() {
        return closing;
    }

    void closeConnection() {
        connection.close();
    }

    // ---- the inbox ----

    private void enqueue(Object item) {
        boolean schedule;
        synchronized (this) {
            if (ended) {
                return;
            }
            inbox.add(item);
            if (!inputSuspended && inbox.size() >= maxQueued && item instanceof Frame) {
                inputSuspended = true;
                connection.suspendInput();
            }
            schedule = !draining;
            draining = true;
        }
        if (schedule) {
            schedule();
        }
    }

    private void schedule() {
        try {
            server.workers().execute(this::drain);
        } catch (RejectedExecutionException stopped) {
            // The server stopped: nobody will answer anymore, and the transport closes the socket.
            synchronized (this) {
                draining = false;
            }
        }
    }

    private void drain() {
        for (int i = 0; i < DRAIN_BATCH; i++) {
            Object item;
            synchronized (this) {
                item = inbox.poll();
                if (item == null) {
                    draining = false;
                    return;
                }
                if (inputSuspended && inbox.size() <= maxQueued / 2) {
                    inputSuspended = false;
                    connection.resumeInput();
                }
            }
            CompletionStage<?> pending = process(item);
            if (pending != null) {
                // The next command waits for this one's reply; draining stays true meanwhile.
                pending.whenComplete((ignored, error) -> schedule());
                return;
            }
        }
        schedule();
    }

    private CompletionStage<?> process(Object item) {
        if (item instanceof Frame frame) {
            return closing ? null : server.dispatcher().dispatch(this, frame);
        }
        if (item instanceof Malformed m) {
            if (!closing) {
                writeReply("*", null, Reply.error(m.error().code(), m.error().getMessage()));
                if (m.fatal()) {
                    close(ByeReason.PROTOCOL, m.error().getMessage());
                }
            }
            return null;
        }
        if (item == SHUTDOWN) {
            close(ByeReason.SHUTDOWN, "the server is shutting down");
            return null;
        }
        if (item == END) {
            synchronized (this) {
                ended = true;
                inbox.clear();
            }
            server.sessionEnded(this, endReason != null ? endReason : "connection lost");
        }
        return null;
    }
}
