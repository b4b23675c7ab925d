package dev.parley.chat.room;

import dev.parley.core.protocol.Frame;
import java.util.ArrayList;
import java.util.List;

/** A room's last messages in a fixed ring: adding past the capacity forgets the oldest. Not thread-safe. */
final class History {
    private final Frame[] ring;
    private int next;
    private int size;

    History(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history capacity must be at least 1: " + capacity);
        }
        this.ring = new Frame[capacity];
    }

    void add(Frame message) {
        ring[next] = message;
        next = (next + 1) % ring.length;
        if (size < ring.length) {
            size++;
        }
    }

    /** The last n messages (fewer if fewer were kept), oldest first. */
    List<Frame> last(int n) {
        int count = Math.min(n, size);
        List<Frame> out = new ArrayList<>(count);
        int start = Math.floorMod(next - count, ring.length);
        for (int i = 0; i < count; i++) {
            out.add(ring[(start + i) % ring.length]);
        }
        return out;
    }
}
