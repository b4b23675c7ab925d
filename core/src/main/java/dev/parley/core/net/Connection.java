package dev.parley.core.net;

import dev.parley.core.protocol.SeqPrefix;
import java.net.SocketAddress;

/**
 * One client connection as core sees it; implemented by a transport. Every method is thread-safe and
 * non-blocking.
 */
public interface Connection {

    SocketAddress remoteAddress();

    /**
     * Queues encoded frame bytes (see {@link dev.parley.core.protocol.FrameWriter}) for writing. The array is
     * shared between recipients and must not be changed. If the bytes queued for this connection exceed the
     * transport's {@code max-pending-bytes}, the transport sends {@code BYE SLOW_CONSUMER} and closes it.
     *
     * @return false when the bytes were not queued (connection closed or closing)
     */
    boolean write(byte[] encoded);

    /**
     * Queues {@code prefix} followed by {@code body[bodyOffset..]} as one contiguous write, nothing in
     * between: a per-session tag in front of event bytes shared between recipients. The body must not be
     * changed, just like {@link #write(byte[])}'s array. Same queueing, limits and return value as
     * {@link #write(byte[])}.
     *
     * <p>The default copies both parts into one array. Core reaches it only through the default
     * {@link #writeNumbered(long, byte[])}; a transport that gathers writes overrides that instead.
     *
     * @param bodyOffset the first byte of {@code body} to write (core skips the body's leading {@code @} when
     *                   the prefix already opened the tag list)
     */
    default boolean write(byte[] prefix, byte[] body, int bodyOffset) {
        byte[] joined = new byte[prefix.length + body.length - bodyOffset];
        System.arraycopy(prefix, 0, joined, 0, prefix.length);
        System.arraycopy(body, bodyOffset, joined, prefix.length, body.length - bodyOffset);
        return write(joined);
    }

    /**
     * Queues the shared event bytes {@code encoded} behind this session's resumption tag for {@code seq}
     * ({@link dev.parley.core.protocol.SeqPrefix}): {@code @seq=<n>;} joined to the event's own tags, or
     * {@code @seq=<n> } before an event without tags. Same queueing, limits and return value as
     * {@link #write(byte[])}; the array must not be changed.
     *
     * <p>The default makes the prefix as an array of its own and calls {@link #write(byte[], byte[], int)}; a
     * transport that gathers writes can instead write the digits where the bytes are gathered, saving an
     * array per recipient of every event.
     */
    default boolean writeNumbered(long seq, byte[] encoded) {
        boolean tagged = SeqPrefix.tagged(encoded);
        return write(SeqPrefix.of(seq, tagged), encoded, tagged ? 1 : 0);
    }

    /** What {@link #writeHeld(byte[])} and {@link #writeNumberedHeld(long, byte[])} did with the bytes. */
    enum HeldWrite {
        /** Not queued: the connection is closed or closing (like {@code false} from {@link #write(byte[])}). */
        REFUSED,
        /** Queued, and sent as {@link #write(byte[])} would (or with a hold someone else already started). */
        QUEUED,
        /** Queued, and this call started a hold: nothing is sent until the caller calls {@link #flush()}. */
        HELD
    }

    /**
     * Like {@link #write(byte[])}, but a transport that batches writes may hold them back until {@link #flush()},
     * so that frames written in a row (a worker running several commands that each fan an event out to the
     * same sessions) leave in one socket write instead of one each. Writes from other threads, through any
     * method, queue behind a hold in order. Core holds only while a worker drains a session's commands, and
     * flushes before it moves on.
     *
     * <p>The default writes at once and never holds.
     *
     * @return {@link HeldWrite#HELD} when this call started a hold, which obliges the caller to call
     *         {@link #flush()}; otherwise whether the bytes were queued
     */
    default HeldWrite writeHeld(byte[] encoded) {
        return write(encoded) ? HeldWrite.QUEUED : HeldWrite.REFUSED;
    }

    /** {@link #writeNumbered(long, byte[])} that may be held back, as {@link #writeHeld(byte[])} explains. */
    default HeldWrite writeNumberedHeld(long seq, byte[] encoded) {
        return writeNumbered(seq, encoded) ? HeldWrite.QUEUED : HeldWrite.REFUSED;
    }

    /** Ends a hold that {@link #writeHeld(byte[])} started: sends what was queued meanwhile. The default does nothing. */
    default void flush() {
    }

    /** Bytes queued for writing and not yet handed to the socket. */
    long pendingBytes();

    /**
     * How long, in milliseconds, bytes have been queued for this connection without the socket accepting any:
     * 0 while nothing is queued or the peer reads. Core does not wait for a reader that has stopped (see
     * docs/protocol.md, "Flow control"). The default, 0, suits connections that never hold bytes back.
     */
    default long writeStallMillis() {
        return 0;
    }

    /** Stops reading from the socket (back-pressure when the session's inbox is full). */
    void suspendInput();

    /** Reads again after {@link #suspendInput()}. */
    void resumeInput();

    /** Closes once everything queued so far is written (or a short grace has passed). */
    void close();

    boolean isOpen();
}
