package dev.parley.chat;

import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Session;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A session without a connection: remembers its name and every event sent to it, in order. */
public final class FakeSession implements Session {
    private final long id;
    private volatile String name;
    private volatile String account;
    private volatile boolean open = true;
    private final List<Frame> events = new ArrayList<>(); // guarded by this

    FakeSession(long id) {
        this.id = id;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public SocketAddress remoteAddress() {
        return InetSocketAddress.createUnresolved("test", (int) (id % 65536));
    }

    @Override
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    @Override
    public Optional<String> account() {
        return Optional.ofNullable(account);
    }

    /** As the authenticating plugin would, through core's SessionAuthentication. */
    public void authenticate(String account) {
        this.account = account;
    }

    @Override
    public void register(String name) {
        this.name = name;
    }

    @Override
    public synchronized void send(Frame event) {
        if (open) {
            events.add(event);
        }
    }

    @Override
    public void close(ByeReason reason, String text) {
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Every event received so far. */
    public synchronized List<Frame> events() {
        return List.copyOf(events);
    }

    /** The events received since the last call, which forgets them. */
    public synchronized List<Frame> takeEvents() {
        List<Frame> taken = List.copyOf(events);
        events.clear();
        return taken;
    }
}
