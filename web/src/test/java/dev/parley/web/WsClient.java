package dev.parley.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client of the JDK (java.net.http) for the tests: keeps every message received, in order, as
 * text lines and {@code BINARY <n>} placeholders (the bytes in {@link #binaries}), and waits for them with a
 * timeout.
 */
final class WsClient implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    final List<byte[]> binaries = new ArrayList<>();
    final WebSocket socket;
    volatile boolean closed;
    volatile int closeCode;

    private WsClient(URI uri, String origin, javax.net.ssl.SSLContext tls) throws Exception {
        HttpClient.Builder client = HttpClient.newBuilder();
        if (tls != null) {
            client.sslContext(tls);
        }
        WebSocket.Builder builder = client.build().newWebSocketBuilder().connectTimeout(TIMEOUT);
        if (origin != null) {
            builder.header("Origin", origin);
        }
        socket = builder.buildAsync(uri, new Listener()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    static WsClient connect(URI ws, String origin) throws Exception {
        return new WsClient(ws, origin, null);
    }

    /** Over TLS ({@code wss:}), trusting what the context trusts. */
    static WsClient connect(URI ws, String origin, javax.net.ssl.SSLContext tls) throws Exception {
        return new WsClient(ws, origin, tls);
    }

    WsClient send(String line) {
        socket.sendText(line, true).join();
        return this;
    }

    WsClient sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        return this;
    }

    /** The next message (line or BINARY placeholder). */
    String next() throws InterruptedException {
        String m = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("nothing arrived within " + TIMEOUT);
        }
        return m;
    }

    /** Skips messages until one matches; fails after the timeout listing what was skipped. */
    String await(Predicate<String> wanted) throws InterruptedException {
        List<String> skipped = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String m = received.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (m == null) {
                break;
            }
            if (wanted.test(m)) {
                return m;
            }
            skipped.add(m);
        }
        throw new AssertionError("no wanted message within " + TIMEOUT + "; got " + skipped);
    }

    String awaitStart(String prefix) throws InterruptedException {
        return await(m -> m.startsWith(prefix));
    }

    @Override
    public void close() {
        if (!closed) {
            socket.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private ByteBuffer binary = ByteBuffer.allocate(0);

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining());
            joined.put(binary).put(data).flip();
            binary = joined;
            if (last) {
                byte[] bytes = new byte[binary.remaining()];
                binary.get(bytes);
                synchronized (binaries) {
                    binaries.add(bytes);
                }
                received.add("BINARY " + bytes.length);
                binary = ByteBuffer.allocate(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode = statusCode;
            closed = true;
            received.add("CLOSED " + statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed = true;
            received.add("ERROR " + error);
        }
    }
}
