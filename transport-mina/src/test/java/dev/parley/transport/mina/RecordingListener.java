package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a {@link MinaClient} delivers, for the test thread to wait on. */
final class RecordingListener implements ClientListener {
    final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Optional<Throwable>> disconnected = new CompletableFuture<>();

    @Override
    public void frame(Frame frame) {
        frames.add(frame);
    }

    @Override
    public void disconnected(Throwable cause) {
        disconnected.complete(Optional.ofNullable(cause));
    }

    Frame next() throws InterruptedException {
        Frame frame = frames.poll(TestServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(frame).as("a frame within " + TestServer.TIMEOUT).isNotNull();
        return frame;
    }

    Optional<Throwable> awaitDisconnected() throws Exception {
        return disconnected.get(TestServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
