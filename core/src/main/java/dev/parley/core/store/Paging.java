package dev.parley.core.store;

import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.Ref;
import dev.parley.core.spi.store.StoredMessage;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * Selects a {@link Page} from a conversation's messages held in a list in msgid order: the memory store's paging,
 * and that of any history kept as a list. Times are assumed not to decrease with msgids.
 */
public final class Paging {
    private Paging() {
    }

    /**
     * The messages a page selects from a conversation's messages (in msgid order), oldest first, as
     * {@link Page.Direction} defines the directions. A view of {@code all}: copy it before {@code all} changes.
     */
    public static List<StoredMessage> window(List<StoredMessage> all, Page page) {
        int size = all.size();
        int limit = page.limit();
        return switch (page.direction()) {
            case LATEST -> all.subList(Math.max(0, size - limit), size);
            case BEFORE -> {
                int end = firstNotOlder(all, page.from());
                yield all.subList(Math.max(0, end - limit), end);
            }
            case AFTER -> {
                int start = firstNewer(all, page.from());
                yield all.subList(start, Math.min(size, start + limit));
            }
            case AROUND -> {
                int at = firstNotOlder(all, page.from());
                int start = Math.max(0, at - limit / 2);
                yield all.subList(start, Math.min(size, start + limit));
            }
            case BETWEEN -> {
                Ref older = page.from();
                Ref newer = page.to();
                if (firstNotOlder(all, older) > firstNotOlder(all, newer)) {
                    older = page.to();
                    newer = page.from();
                }
                int start = firstNewer(all, older);
                int end = Math.max(start, firstNotOlder(all, newer));
                yield all.subList(start, Math.min(end, start + limit));
            }
        };
    }

    /** Index of the first message that is not older than the ref: the ref's message itself, or the first sent at or after the time. */
    private static int firstNotOlder(List<StoredMessage> all, Ref ref) {
        if (ref instanceof Ref.MsgId id) {
            return lowerBound(all, m -> m.msgid() >= id.msgid());
        }
        Instant time = ((Ref.At) ref).time();
        return lowerBound(all, m -> !m.time().isBefore(time));
    }

    /** Index of the first message newer than the ref: after the ref's message, or sent at or after the time. */
    private static int firstNewer(List<StoredMessage> all, Ref ref) {
        if (ref instanceof Ref.MsgId id) {
            return lowerBound(all, m -> m.msgid() > id.msgid());
        }
        Instant time = ((Ref.At) ref).time();
        return lowerBound(all, m -> !m.time().isBefore(time));
    }

    /** The first index whose message satisfies a predicate that is false, then true, along the list. */
    private static int lowerBound(List<StoredMessage> all, Predicate<StoredMessage> reached) {
        int lo = 0;
        int hi = all.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (reached.test(all.get(mid))) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Index of the first message sent at or after the time. */
    static int firstSentAtOrAfter(List<StoredMessage> all, Instant time) {
        return lowerBound(all, m -> !m.time().isBefore(time));
    }
}
