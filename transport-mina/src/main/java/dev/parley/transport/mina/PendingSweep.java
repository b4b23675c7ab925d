package dev.parley.transport.mina;

import dev.parley.core.net.CutOff;
import dev.parley.core.net.InboundHandler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@link #INTERVAL_MILLIS} on the transport's timer: cuts off connections whose client accepted no byte
 * for {@code slow-consumer-timeout}, and keeps the server within {@code max-total-pending-bytes} for unread
 * output and queued input of all connections together. Per-connection limits bound one client; this bounds
 * many (100 clients x 4 MiB of max-pending-bytes exceed a 128 MiB heap).
 *
 * <p>Past half of the budget it stops reading from the connections whose queued input is largest (the
 * producers); below a quarter it reads them again. Past the whole budget it cuts off the connections holding
 * the most until the total is back under three quarters. A sweep reads two volatile fields per connection:
 * 20,000 connections cost well under a millisecond. Confined to the timer thread.
 */
final class PendingSweep implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(PendingSweep.class);

    static final long INTERVAL_MILLIS = 100;
    /** Queued input below this is no one's flood: reading from it goes on however full the budget is. */
    private static final long PRODUCER_INPUT_BYTES = 64 * 1024;
    /**
     * Output waiting this long without the socket taking a byte is tried again (MinaConnection#probeWrite), so
     * that a client that reads slowly behind a large send buffer shows progress well within core's one second
     * (ServerSession.READER_STOPPED_MILLIS) and slow-consumer-timeout, and only one that stopped shows none.
     */
    static final long PROBE_AFTER_MILLIS = 2 * INTERVAL_MILLIS;

    private final Supplier<Collection<IoSession>> sessions;
    private final long timeoutMillis;
    private final long budget;
    private final Set<MinaConnection> suspended = new HashSet<>();
    private volatile long lastTotal;

    /** One connection's share of the budget at the time of a sweep. */
    private record Holding(MinaConnection connection, long output, long input) {
        long total() {
            return output + input;
        }
    }

    PendingSweep(Supplier<Collection<IoSession>> sessions, TransportSettings settings) {
        this.sessions = sessions;
        this.timeoutMillis = settings.slowConsumerTimeout().toMillis();
        this.budget = settings.maxTotalPendingBytes();
    }

    /** Unread output plus queued input of every connection at the last sweep. */
    long lastTotal() {
        return lastTotal;
    }

    @Override
    public void run() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // A failed sweep must not end the timer's schedule: the next one runs as usual.
            log.warn("memory sweep failed", e);
        }
    }

    void sweep() {
        long total = 0;
        List<Holding> holdings = new ArrayList<>();
        for (IoSession session : sessions.get()) {
            InboundState state = ServerIoHandler.state(session);
            InboundHandler handler = state == null ? null : state.handler();
            if (handler == null || state.connection().isClosing()) {
                continue;
            }
            MinaConnection connection = state.connection();
            long output = connection.pendingBytes();
            long stalledMillis = output > 0 ? connection.writeStallMillis() : 0;
            if (timeoutMillis > 0 && stalledMillis >= timeoutMillis) {
                log.info("closing {}: its client accepted none of the {} bytes queued for it for {} ms",
                        session.getRemoteAddress(), output, timeoutMillis);
                connection.cutOff(CutOff.TIMEOUT);
                continue;
            }
            if (stalledMillis >= PROBE_AFTER_MILLIS) {
                connection.probeWrite();
            }
            long input = handler.queuedInputBytes() + state.decoder().bufferedBytes();
            if (output + input > 0) {
                total += output + input;
                holdings.add(new Holding(connection, output, input));
            }
        }
        if (total > budget) {
            holdings.sort(Comparator.comparingLong(Holding::total).reversed());
            long target = budget / 4 * 3;
            int cut = 0;
            for (Holding h : holdings) {
                if (total <= target) {
                    break;
                }
                h.connection().cutOff(CutOff.MEMORY_BUDGET);
                suspended.remove(h.connection());
                total -= h.total();
                cut++;
            }
            log.warn("over the memory budget (max-total-pending-bytes = {}): cut off the {} connections holding"
                    + " the most", budget, cut);
        }
        if (total > budget / 2) {
            for (Holding h : holdings) {
                if (h.input() >= PRODUCER_INPUT_BYTES && !h.connection().isClosing() && suspended.add(h.connection())) {
                    h.connection().suspendInputForBudget();
                }
            }
        } else if (total < budget / 4 && !suspended.isEmpty()) {
            suspended.forEach(MinaConnection::resumeInputForBudget);
            suspended.clear();
        }
        suspended.removeIf(MinaConnection::isClosing);
        lastTotal = total;
    }
}
