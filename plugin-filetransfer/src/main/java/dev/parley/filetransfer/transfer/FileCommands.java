package dev.parley.filetransfer.transfer;

import static dev.parley.filetransfer.FileTransferErrors.BAD_NAME;
import static dev.parley.filetransfer.FileTransferErrors.BAD_OFFSET;
import static dev.parley.filetransfer.FileTransferErrors.NOT_IN_ROOM;
import static dev.parley.filetransfer.FileTransferErrors.NO_SUCH_FILE;
import static dev.parley.filetransfer.FileTransferErrors.NO_SUCH_NICK;

import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.Session;
import dev.parley.filetransfer.FileTransferSettings;
import dev.parley.filetransfer.spool.FetchSource;
import dev.parley.filetransfer.spool.FileNames;
import dev.parley.filetransfer.spool.FileOffer;
import dev.parley.filetransfer.spool.FileSpool;
import dev.parley.filetransfer.spool.Outcome;
import dev.parley.filetransfer.spool.StoredFile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * OFFER, CHUNK, FILES and FETCH: parse the arguments, ask the {@link FileSpool}, answer. Names and rooms
 * come from core's {@link Directory}, looked up at command time because the plugin providing it (chat) may
 * start after this one.
 */
public final class FileCommands {
    private static final String OFFER_USAGE = "<nick|#room> <name> <size> <sha256-hex|->";
    private static final String SEAL_USAGE = "<file-id> <sha256-hex>";
    private static final String CHUNK_USAGE = "<file-id> <offset>";
    private static final String FETCH_USAGE = "<file-id> [offset]";

    private final FileSpool spool;
    private final FileTransferSettings settings;
    private final PluginContext context;
    private final Executor io;

    /** @param io runs FETCH disk reads, off the shared timer thread */
    public FileCommands(FileSpool spool, FileTransferSettings settings, PluginContext context, Executor io) {
        this.spool = spool;
        this.settings = settings;
        this.context = context;
        this.io = io;
    }

    public List<Command> commands() {
        return List.of(
                Command.sync("OFFER", "Offer a file to a nick or room", this::offer).withUsage(OFFER_USAGE),
                Command.sync("CHUNK", "Upload part of an offered file: the n bytes after the line, sent with"
                        + " @size=<n>", this::chunk).withUsage(CHUNK_USAGE),
                Command.sync("SEAL", "Complete an upload offered without its SHA-256 (-): its checksum, after the"
                        + " last chunk", this::seal).withUsage(SEAL_USAGE),
                Command.sync("FILES", "List the files offered to you", this::files).withUsage(""),
                Command.async("FETCH", "Download a file as CHUNK events", this::fetch).withUsage(FETCH_USAGE));
    }

    // ---- OFFER <target> <name> <size> <sha256> ----

    Reply offer(Request request) throws Exception {
        List<String> args = request.arguments();
        String target = args.get(0);
        long size = parseCount(args.get(2));
        if (size < 1) {
            return Reply.error(ErrorCode.BAD_ARGUMENT, "size must be a whole number of bytes, 1 or more: '"
                    + args.get(2) + "'; usage: OFFER " + OFFER_USAGE);
        }
        String sha256 = args.get(3).toLowerCase(Locale.ROOT);
        if (!sha256.matches("[0-9a-f]{64}") && !sha256.equals(FileOffer.AT_END)) {
            return Reply.error(ErrorCode.BAD_ARGUMENT, "sha256 must be 64 hex digits, or - to SEAL the upload with"
                    + " it after the last chunk: '" + args.get(3) + "'; usage: OFFER " + OFFER_USAGE);
        }
        Optional<String> name = FileNames.sanitise(args.get(1));
        if (name.isEmpty()) {
            return Reply.error(BAD_NAME, "a file name is 1 to " + FileNames.MAX_LENGTH
                    + " characters without control characters and not just a path; rename the file and OFFER again");
        }
        Session session = request.session();
        String senderName = session.name().orElseThrow();
        String sender = canonical(senderName);
        // A resume is not checked against the target again: the recipient may be offline by now.
        Optional<FileSpool.Offered> resumed = spool.resumable(sender, name.get(), size, sha256);
        if (resumed.isPresent()) {
            StoredFile unannounced = resumed.get().unannounced();
            if (unannounced != null) {
                // Finished by a restart, or its last CHUNK's reply was lost: the recipients learn of it now.
                announce(unannounced);
            }
            return Reply.ok(resumed.get().id(), Long.toString(resumed.get().offset()));
        }
        Optional<Directory> directory = directory();
        String targetOwner = "";
        if (target.startsWith("#")) {
            if (directory.isEmpty() || !directory.get().isMember(target, session)) {
                return Reply.error(NOT_IN_ROOM, "you are not in " + target + "; JOIN it first, then OFFER again");
            }
        } else {
            Optional<Session> recipient = directory.flatMap(d -> d.session(target));
            if (recipient.isEmpty()) {
                return Reply.error(NO_SUCH_NICK, "nobody is online as " + target
                        + "; check the nick (WHO), or OFFER when they are online");
            }
            // The file is for this session (or its account), not for whoever holds the nick later.
            targetOwner = owner(recipient.get());
        }
        Outcome<FileSpool.Offered> outcome = spool.offer(sender, senderName, name.get(), size, sha256, target,
                new FileSpool.Owners(owner(session), quotaKey(session), targetOwner));
        if (!outcome.isOk()) {
            return failed(outcome);
        }
        FileSpool.Offered offered = outcome.value();
        if (offered.offset() == 0 && offered.unannounced() == null) {
            offeredNow(offered.id(), target, senderName, name.get(), size, sha256, sender, directory);
        }
        return Reply.ok(offered.id(), Long.toString(offered.offset()));
    }

    // ---- @size=<n> CHUNK <file-id> <offset> ----

    Reply chunk(Request request) throws Exception {
        List<String> args = request.arguments();
        byte[] bytes = request.frame().payload();
        long offset = parseCount(args.get(1));
        if (offset < 0) {
            return Reply.error(ErrorCode.BAD_ARGUMENT, "offset must be a whole number of bytes: '" + args.get(1)
                    + "'; usage: @size=<n> CHUNK " + CHUNK_USAGE);
        }
        if (bytes == null || bytes.length == 0) {
            return Reply.error(ErrorCode.BAD_ARGUMENT, "a CHUNK carries 1 or more bytes; usage: @size=<n> CHUNK "
                    + CHUNK_USAGE);
        }
        String sender = canonical(request.session().name().orElseThrow());
        Outcome<FileSpool.Appended> outcome = spool.append(args.get(0), sender, offset, bytes,
                offer -> recipients(offer, sender));
        if (!outcome.isOk()) {
            return failed(outcome);
        }
        StoredFile completed = outcome.value().completed();
        if (completed != null) {
            announce(completed);
        }
        return Reply.ok(args.get(0), Long.toString(outcome.value().next()));
    }

    // ---- SEAL <file-id> <sha256> ----

    Reply seal(Request request) throws Exception {
        List<String> args = request.arguments();
        String sha256 = args.get(1).toLowerCase(Locale.ROOT);
        if (!sha256.matches("[0-9a-f]{64}")) {
            return Reply.error(ErrorCode.BAD_ARGUMENT, "sha256 must be 64 hex digits: '" + args.get(1)
                    + "'; usage: SEAL " + SEAL_USAGE);
        }
        String sender = canonical(request.session().name().orElseThrow());
        Outcome<FileSpool.Appended> outcome = spool.seal(args.get(0), sender, sha256, offer -> recipients(offer, sender));
        if (!outcome.isOk()) {
            return failed(outcome);
        }
        StoredFile completed = outcome.value().completed();
        if (completed != null) {
            announce(completed);
        }
        return Reply.ok(args.get(0), Long.toString(outcome.value().next()));
    }

    // ---- FILES ----

    Reply files(Request request) {
        List<StoredFile> files = spool.offeredTo(owner(request.session()));
        for (StoredFile file : files) {
            request.data(fileLine(file));
        }
        return Reply.ok(Integer.toString(files.size()));
    }

    // ---- FETCH <file-id> [offset] ----

    CompletionStage<Reply> fetch(Request request) throws Exception {
        List<String> args = request.arguments();
        long offset = request.argument(1) != null ? parseCount(args.get(1)) : 0;
        if (offset < 0) {
            return done(Reply.error(ErrorCode.BAD_ARGUMENT, "offset must be a whole number of bytes: '"
                    + args.get(1) + "'; usage: FETCH " + FETCH_USAGE));
        }
        Outcome<FetchSource> outcome = spool.fetchable(args.get(0), canonical(request.session().name().orElseThrow()),
                owner(request.session()));
        if (!outcome.isOk()) {
            return done(failed(outcome));
        }
        FetchSource file = outcome.value();
        if (offset > file.size()) {
            return done(Reply.error(BAD_OFFSET, "offset " + offset + " is past the file's " + file.size()
                    + " bytes; FETCH from an offset between 0 and " + file.size()));
        }
        try {
            return new FetchStream(file, offset, request, settings.chunkBytes(),
                    settings.fetchWindowBytes(), settings.fetchPollInterval(), settings.fetchWaitingInterval(),
                    context.scheduler(), io).start();
        } catch (NoSuchFileException expiredMeanwhile) {
            return done(Reply.error(NO_SUCH_FILE, "no file " + file.id()
                    + " for you; send FILES for the files offered to you"));
        }
    }

    // ---- helpers ----

    /**
     * Cut-through: the online recipients hear of the upload as it starts ({@code OFFERED}) and may FETCH it
     * while it arrives; {@code FILE} still follows once it is complete and verified. Only this server's own
     * sessions: a FETCH can follow the upload only where it arrives, so in a cluster the recipients on other
     * servers wait for {@code FILE} (docs/protocol.md).
     */
    private void offeredNow(String id, String target, String senderName, String name, long size, String sha256,
                            String sender, Optional<Directory> directory) {
        if (directory.isEmpty()) {
            return;
        }
        Collection<Session> candidates = target.startsWith("#")
                ? directory.get().members(target).orElse(List.of())
                : directory.get().session(target).map(List::of).orElse(List.of());
        List<Session> online = new ArrayList<>();
        Set<String> owners = new LinkedHashSet<>();
        for (Session session : candidates) {
            if (session.remoteKey().isEmpty()
                    && session.name().map(this::canonical).filter(n -> !n.equals(sender)).isPresent()) {
                online.add(session);
                owners.add(owner(session));
            }
        }
        spool.followers(id, owners);
        context.sessions().send(online, Frame.of("OFFERED").params(id, senderName, Long.toString(size), sha256)
                .trailing(name).build());
    }

    /**
     * The owners a completed file is for: the target nick's session at OFFER (or its account), or the room's
     * members but the sender.
     */
    private Set<String> recipients(FileOffer offer, String sender) {
        if (!offer.toRoom()) {
            return Set.of(offer.targetOwner());
        }
        Set<String> members = new LinkedHashSet<>();
        Collection<Session> sessions = directory().flatMap(d -> d.members(offer.target())).orElse(List.of());
        for (Session member : sessions) {
            if (member.name().map(this::canonical).filter(n -> !n.equals(sender)).isPresent()) {
                members.add(owner(member));
            }
        }
        return members;
    }

    /**
     * Who a session is for files: its account when authenticated, else the session itself (a guest), so
     * that a later holder of the nick inherits nothing.
     */
    public String owner(Session session) {
        if (session.account().isPresent()) {
            return "account:" + session.account().get();
        }
        if (session.remoteKey().isPresent()) {
            return "guest:" + session.remoteKey().get();
        }
        return spool.guestPrefix() + session.id();
    }

    /** Whose quota a session's offers count against: its account's, or its address's for a guest. */
    private static String quotaKey(Session session) {
        if (session.account().isPresent()) {
            return "account:" + session.account().get();
        }
        SocketAddress address = session.remoteAddress();
        if (address instanceof InetSocketAddress inet) {
            return "address:" + (inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString());
        }
        return "address:" + address;
    }

    /**
     * Tells the recipients who are online (the others find the file with FILES), then records that it did, so
     * that an OFFER of the same file after a crash between the two tells them again rather than starting over.
     */
    private void announce(StoredFile file) throws IOException {
        Optional<Directory> directory = directory();
        if (directory.isPresent()) {
            FileOffer offer = file.offer();
            Collection<Session> candidates = offer.toRoom()
                    ? directory.get().members(offer.target()).orElse(List.of())
                    : directory.get().session(offer.target()).map(List::of).orElse(List.of());
            List<Session> online = new ArrayList<>();
            for (Session session : candidates) {
                if (file.recipients().contains(owner(session))) {
                    online.add(session);
                }
            }
            context.sessions().send(online, fileLine(file));
        }
        spool.announced(file.id());
    }

    static Frame fileLine(StoredFile file) {
        FileOffer offer = file.offer();
        return Frame.of("FILE").params(offer.id(), offer.senderName(), Long.toString(offer.size()), offer.sha256())
                .trailing(offer.name()).build();
    }

    private Optional<Directory> directory() {
        return context.lookup(Directory.class);
    }

    private String canonical(String name) {
        return directory().map(d -> d.canonical(name)).orElse(name);
    }

    /** A count of bytes (size, offset): up to 18 digits; -1 when malformed. */
    private static long parseCount(String s) {
        if (s == null || s.isEmpty() || s.length() > 18) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(s);
    }

    private static Reply failed(Outcome<?> outcome) {
        return Reply.error(outcome.error(), outcome.text());
    }

    private static CompletionStage<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
