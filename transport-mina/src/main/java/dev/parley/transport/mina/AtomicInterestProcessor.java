package dev.parley.transport.mina;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Lock;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MINA's NIO processor with race-free interest updates, so that a connection whose reads core paused for
 * back-pressure always reads again when core resumes it.
 *
 * <p>MINA 2.2 changes a key's interest set by reading it, changing one bit and writing the whole set back, and
 * {@code resumeRead()} does so on the calling thread (core's worker) while the I/O thread does the same for
 * the write bit after every flush. When the two interleave, one thread writes back a set read before the other
 * changed it: a resumed connection loses its read interest and never reads again (seen as a 256 MiB upload
 * stalling for good with 2 MB unread in the socket, about every other run), or a connection with queued output
 * loses its write interest. Here every change is a single atomic {@link SelectionKey#interestOpsOr} or
 * {@link SelectionKey#interestOpsAnd}, and a traffic-control update from another thread touches only the read
 * bit (re-checked until it matches the session's flag) and never clears the write bit of queued output.
 *
 * <p>Public with an {@link Executor} constructor because MINA's {@code SimpleIoProcessorPool} builds its
 * processors by reflection.
 */
public final class AtomicInterestProcessor extends NioProcessor {
    private static final Logger log = LoggerFactory.getLogger(AtomicInterestProcessor.class);

    public AtomicInterestProcessor(Executor executor) {
        super(executor);
    }

    @Override
    protected void setInterestedInRead(NioSession session, boolean interested) {
        change(session, SelectionKey.OP_READ, interested);
    }

    @Override
    protected void setInterestedInWrite(NioSession session, boolean interested) {
        change(session, SelectionKey.OP_WRITE, interested);
    }

    /**
     * Called by {@code suspend/resumeRead()} and {@code suspend/resumeWrite()} on any thread. MINA's version also
     * clears the write bit whenever the write queue looks empty, which, off the I/O thread, can undo the
     * interest the I/O thread has just set for a write the socket was too full for. Here the write bit is only
     * cleared for a suspended write and set when output is queued; a spurious write interest costs one
     * flush attempt, a lost one a stalled connection.
     *
     * <p>A bit turned on wakes the selector: the JDK applies a changed interest set only when its select
     * returns, so a resumed read would otherwise wait for the next event on this I/O thread, or for MINA's
     * one-second select timeout. A connection writes into its socket directly (MinaConnection.writeOut), so no
     * write event wakes the thread for it, and a paused upload would resume only when something else did.
     */
    @Override
    public void updateTrafficControl(NioSession session) {
        boolean reading;
        boolean turnedOn = false;
        do {
            reading = !session.isReadSuspended();
            turnedOn |= change(session, SelectionKey.OP_READ, reading) && reading;
            // A suspend and a resume racing on two threads: the later flag wins, whichever thread wrote last.
        } while (reading == session.isReadSuspended());
        if (session.isWriteSuspended()) {
            change(session, SelectionKey.OP_WRITE, false);
        } else if (!session.getWriteRequestQueue().isEmpty(session)) {
            turnedOn |= change(session, SelectionKey.OP_WRITE, true);
        }
        if (turnedOn) {
            wakeup();
        }
    }

    /**
     * A write to a peer that is gone (reset, broken pipe) closes the session quietly. MINA's processor logs
     * every failed write at ERROR before closing; a client that vanishes while the server still answers it,
     * or that closes right after sending its last commands (answered since a half-close is honoured, see
     * {@code ServerIoHandler.inputClosed}), is ordinary, so it is logged at debug. Returning 0 leaves the
     * request queued like a full socket would; the close then fails it, and MINA removes the session.
     */
    @Override
    protected int write(NioSession session, IoBuffer buf, int length) throws IOException {
        try {
            return super.write(session, buf, length);
        } catch (IOException gone) {
            gone(session, gone);
            return 0;
        }
    }

    /**
     * A read from a peer that reset or dropped the connection closes the session quietly: MINA's processor logs
     * every failed read at ERROR ("Exception occured while trying to read"), but a peer that goes away is not a
     * fault of this side, server or client (a {@code parley chat} user whose server restarts). Returning 0 reads
     * nothing; the close removes the session and core (or the client's listener) hears of it.
     */
    @Override
    protected int read(NioSession session, IoBuffer buf) throws Exception {
        try {
            return super.read(session, buf);
        } catch (IOException gone) {
            gone(session, gone);
            return 0;
        }
    }

    /**
     * Logs the peer's going at debug, and passes the cause on as MINA's processor does (without its ERROR line):
     * the handler closes the session, and a client tells its user "connection reset" rather than a plain close.
     */
    private static void gone(NioSession session, IOException cause) {
        log.debug("{} is gone ({}); closing it", session.getRemoteAddress(), cause.toString());
        session.getFilterChain().fireExceptionCaught(cause);
        session.closeNow();
    }

    /** Sets or clears one interest bit; whether it changed it. */
    private boolean change(NioSession session, int bit, boolean on) {
        Selector current = selector;
        SelectionKey key = current == null ? null : ((SelectableChannel) session.getChannel()).keyFor(current);
        if (key == null || !key.isValid()) {
            return false; // not registered yet (init sets the read bit) or already closed
        }
        if (((key.interestOps() & bit) != 0) == on) {
            return false; // the I/O thread's common case after a flush; a racing change is re-checked by its caller
        }
        // The read lock excludes registerNewSelector, which moves every key to a new selector.
        Lock lock = selectorLock.readLock();
        lock.lock();
        try {
            if (on) {
                key.interestOpsOr(bit);
            } else {
                key.interestOpsAnd(~bit);
            }
        } catch (CancelledKeyException closedMeanwhile) {
            // The session closed between the check and the change: there is nothing left to read or write.
            return false;
        } finally {
            lock.unlock();
        }
        return true;
    }
}
