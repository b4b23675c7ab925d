package dev.parley.chat.cluster;

import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Session;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * A session of another server, as the {@link dev.parley.core.spi.Directory} hands it to plugins such as file
 * transfer: {@link #send} routes the event to the owning server, which sends it to its session. It cannot be
 * registered or closed from here.
 */
final class RemoteSession implements Session {
    private final long id;
    private final String node;
    private final long sessionId;
    private final String nick;
    private final ClusterNicks chat;

    RemoteSession(long id, String node, long sessionId, String nick, ClusterNicks chat) {
        this.id = id;
        this.node = node;
        this.sessionId = sessionId;
        this.nick = nick;
        this.chat = chat;
    }

    /** Negative, so it never equals a local session's id; stable for the same remote session. */
    @Override
    public long id() {
        return id;
    }

    @Override
    public Optional<String> remoteKey() {
        return Optional.of(node + "/" + sessionId);
    }

    @Override
    public SocketAddress remoteAddress() {
        return InetSocketAddress.createUnresolved("node-" + node, 0);
    }

    @Override
    public Optional<String> name() {
        return Optional.of(nick);
    }

    @Override
    public void register(String name) {
        throw new UnsupportedOperationException("a session of another server registers there");
    }

    @Override
    public void send(Frame event) {
        chat.sendTo(node, sessionId, event);
    }

    @Override
    public void close(ByeReason reason, String text) {
        throw new UnsupportedOperationException("a session of another server is closed there");
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public String toString() {
        return nick + " (session " + sessionId + " of node " + node + ")";
    }
}
