package dev.parley.core.server;

import dev.parley.core.net.Connection;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** A connection for tests that look only at what is written: it is always open and does nothing else. */
abstract class WriteOnlyConnection implements Connection {

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public long pendingBytes() {
        return 0;
    }

    @Override
    public void suspendInput() {
    }

    @Override
    public void resumeInput() {
    }

    @Override
    public void close() {
    }

    @Override
    public boolean isOpen() {
        return true;
    }
}
