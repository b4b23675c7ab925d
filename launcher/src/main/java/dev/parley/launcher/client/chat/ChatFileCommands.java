package dev.parley.launcher.client.chat;

import dev.parley.core.protocol.Frame;
import dev.parley.client.DataLines;
import dev.parley.client.ParleyLink;
import dev.parley.launcher.client.display.ByteSizes;
import dev.parley.launcher.client.display.SafeText;
import dev.parley.client.files.FileDownload;
import dev.parley.client.files.FileOffer;
import dev.parley.client.files.FileUpload;
import dev.parley.client.files.Progress;
import dev.parley.client.files.TransferException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * {@code /send}, {@code /files} and {@code /get} in the chat. Transfers run in the background, reporting
 * one line when they end; {@link #awaitIdle()} lets {@code /quit} wait for them.
 */
final class ChatFileCommands implements ChatFiles {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ChatFormat format;
    private final Consumer<String> screen;
    private final Path defaultDir;
    private final List<CompletableFuture<?>> running = new ArrayList<>();
    private ParleyLink link;

    ChatFileCommands(ChatFormat format, Consumer<String> screen, Path defaultDir) {
        this.format = format;
        this.screen = screen;
        this.defaultDir = defaultDir;
    }

    void attach(ParleyLink link) {
        this.link = link;
    }

    @Override
    public void send(String target, String path) {
        Path file = Path.of(path);
        CompletableFuture<Void> job = inBackground(() -> {
            try {
                FileUpload.Sent sent = new FileUpload(link, TIMEOUT).send(target, file, Progress.NONE);
                screen.accept(format.notice("Sent " + SafeText.escape(sent.name()) + " (" + ByteSizes.format(sent.size())
                        + ") to " + SafeText.escape(target)));
            } catch (TransferException e) {
                screen.accept(format.error("Cannot send " + path + ": " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        track(job);
    }

    @Override
    public void list() {
        track(offers().thenAccept(offers -> {
            if (offers.isEmpty()) {
                screen.accept(format.notice("No files offered to you"));
                return;
            }
            screen.accept(format.notice(offers.size() + (offers.size() == 1 ? " file" : " files")
                    + " offered to you (/get <file-id> to download):"));
            for (FileOffer offer : offers) {
                screen.accept("      " + SafeText.escape(offer.id()) + "  " + SafeText.escape(offer.name()) + "  "
                        + ByteSizes.format(offer.size()) + "  from " + SafeText.escape(offer.from()));
            }
        }));
    }

    @Override
    public void get(String fileId, Optional<String> dir) {
        Path target = dir.map(Path::of).orElse(defaultDir);
        track(offers().thenCompose(offers -> {
            Optional<FileOffer> offer = offers.stream().filter(o -> o.id().equals(fileId)).findFirst();
            if (offer.isEmpty()) {
                screen.accept(format.error("No file " + fileId + " is offered to you; /files lists them"));
                return CompletableFuture.completedFuture(null);
            }
            return new FileDownload(link).start(offer.get(), target, Progress.NONE).handle((path, failure) -> {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    screen.accept(format.error("Cannot download " + SafeText.escape(offer.get().name()) + ": "
                            + cause.getMessage()));
                } else {
                    screen.accept(format.notice("Saved " + SafeText.escape(offer.get().name()) + " from "
                            + SafeText.escape(offer.get().from()) + " as " + SafeText.escape(path.toString())));
                }
                return null;
            });
        }));
    }

    /** Waits until every transfer started here has ended. */
    void awaitIdle() {
        List<CompletableFuture<?>> jobs;
        synchronized (running) {
            jobs = new ArrayList<>(running);
        }
        for (CompletableFuture<?> job : jobs) {
            try {
                job.join();
            } catch (CompletionException e) {
                // reported on the screen already
            }
        }
    }

    /** A thread per upload: it blocks on its window of chunks, and the common pool may have one thread only. */
    private static CompletableFuture<Void> inBackground(Runnable work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } finally {
                done.complete(null);
            }
        }, "parley-chat-send");
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    private CompletableFuture<List<FileOffer>> offers() {
        return link.request(Frame.of("FILES").build(), DataLines.verbs("FILE")).thenApply(reply -> {
            if (!reply.ok()) {
                screen.accept(format.error(reply.sentence()));
                return List.of();
            }
            List<FileOffer> offers = new ArrayList<>();
            reply.data().forEach(line -> offers.add(FileOffer.from(line)));
            return offers;
        });
    }

    private void track(CompletableFuture<?> job) {
        synchronized (running) {
            running.removeIf(CompletableFuture::isDone);
            running.add(job);
        }
    }
}
