package dev.parley.transport.mina;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.apache.mina.core.session.AbstractIoSession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.session.IoSessionAttributeMap;
import org.apache.mina.core.session.IoSessionDataStructureFactory;
import org.apache.mina.core.write.WriteRequest;
import org.apache.mina.core.write.WriteRequestQueue;

/**
 * The per-session attribute map and write queue of the server's sessions, sized for many idle connections.
 *
 * <p>MINA's defaults are a {@code ConcurrentHashMap} (map, table and a node per entry: about 180 bytes for a
 * server session's two attributes) and a {@code ConcurrentLinkedQueue} (queue, wrapper and an empty head node:
 * 64 bytes), per session, for as long as it is open. A server session holds two attributes (its
 * {@link InboundState} and MINA's I/O processor; a few more under TLS) and, with {@code MinaConnection}'s
 * batching, at most a write or two in MINA's queue, so a copy-on-write array and a locked linked list do the
 * same job in about 48 and 24 bytes.
 */
final class CompactSessionData implements IoSessionDataStructureFactory {

    @Override
    public IoSessionAttributeMap getAttributeMap(IoSession session) {
        return new AttributeMap();
    }

    @Override
    public WriteRequestQueue getWriteRequestQueue(IoSession session) {
        return new WriteQueue();
    }

    /**
     * Keys and values side by side in one array, searched linearly: sessions hold two to a few attributes.
     * Copy-on-write: a change replaces the array under the lock, reads take no lock at all. MINA reads the
     * processor attribute on every write of every worker thread, and attributes change only while a session
     * opens, closes or shakes hands, so reads must not contend.
     */
    static final class AttributeMap implements IoSessionAttributeMap {
        private static final Object[] EMPTY = {};

        private volatile Object[] entries = EMPTY; // replaced whole, under this

        @Override
        public Object getAttribute(IoSession session, Object key, Object defaultValue) {
            Object[] e = entries;
            int i = indexOf(e, checked(key));
            if (i >= 0) {
                return e[i + 1];
            }
            return defaultValue == null ? null : storeIfAbsent(key, defaultValue);
        }

        private synchronized Object storeIfAbsent(Object key, Object value) {
            Object present = setAttributeIfAbsent(null, key, value);
            return present == null ? value : present;
        }

        @Override
        public synchronized Object setAttribute(IoSession session, Object key, Object value) {
            if (value == null) {
                return remove(checked(key));
            }
            Object[] e = entries;
            int i = indexOf(e, checked(key));
            if (i >= 0) {
                Object old = e[i + 1];
                Object[] changed = e.clone();
                changed[i + 1] = value;
                entries = changed;
                return old;
            }
            add(key, value);
            return null;
        }

        @Override
        public synchronized Object setAttributeIfAbsent(IoSession session, Object key, Object value) {
            checked(key);
            if (value == null) {
                return null;
            }
            Object[] e = entries;
            int i = indexOf(e, key);
            if (i >= 0) {
                return e[i + 1];
            }
            add(key, value);
            return null;
        }

        @Override
        public synchronized Object removeAttribute(IoSession session, Object key) {
            return remove(checked(key));
        }

        @Override
        public synchronized boolean removeAttribute(IoSession session, Object key, Object value) {
            Object[] e = entries;
            int i = indexOf(e, checked(key));
            if (value == null || i < 0 || !value.equals(e[i + 1])) {
                return false;
            }
            remove(key);
            return true;
        }

        @Override
        public synchronized boolean replaceAttribute(IoSession session, Object key, Object oldValue, Object newValue) {
            if (key == null || oldValue == null || newValue == null) {
                return false;
            }
            Object[] e = entries;
            int i = indexOf(e, key);
            if (i < 0 || !oldValue.equals(e[i + 1])) {
                return false;
            }
            Object[] changed = e.clone();
            changed[i + 1] = newValue;
            entries = changed;
            return true;
        }

        @Override
        public boolean containsAttribute(IoSession session, Object key) {
            return key != null && indexOf(entries, key) >= 0;
        }

        @Override
        public Set<Object> getAttributeKeys(IoSession session) {
            Object[] e = entries;
            Set<Object> keys = new HashSet<>();
            for (int i = 0; i < e.length; i += 2) {
                keys.add(e[i]);
            }
            return keys;
        }

        @Override
        public void dispose(IoSession session) {
        }

        private static Object checked(Object key) {
            if (key == null) {
                throw new IllegalArgumentException("key");
            }
            return key;
        }

        private static int indexOf(Object[] e, Object key) {
            for (int i = 0; i < e.length; i += 2) {
                if (e[i] == key || key.equals(e[i])) {
                    return i;
                }
            }
            return -1;
        }

        private void add(Object key, Object value) {
            Object[] e = entries;
            Object[] grown = new Object[e.length + 2];
            System.arraycopy(e, 0, grown, 0, e.length);
            grown[e.length] = key;
            grown[e.length + 1] = value;
            entries = grown;
        }

        private Object remove(Object key) {
            Object[] e = entries;
            int i = indexOf(e, key);
            if (i < 0) {
                return null;
            }
            Object old = e[i + 1];
            Object[] shrunk = new Object[e.length - 2];
            System.arraycopy(e, 0, shrunk, 0, i);
            System.arraycopy(e, i + 2, shrunk, i, e.length - i - 2);
            entries = shrunk.length == 0 ? EMPTY : shrunk;
            return old;
        }
    }

    /** First in, first out, under its own lock: offered by any writer, polled by the session's I/O thread. */
    static final class WriteQueue implements WriteRequestQueue {
        private Node head; // guarded by this
        private Node tail; // guarded by this
        private int size; // guarded by this

        private static final class Node {
            final WriteRequest request;
            Node next;

            Node(WriteRequest request) {
                this.request = request;
            }
        }

        @Override
        public WriteRequest poll(IoSession session) {
            WriteRequest answer;
            synchronized (this) {
                if (head == null) {
                    return null;
                }
                answer = head.request;
                head = head.next;
                if (head == null) {
                    tail = null;
                }
                size--;
            }
            // As MINA's own queue does: closeOnFlush() queued this marker behind the last write.
            if (answer == AbstractIoSession.CLOSE_REQUEST) {
                session.closeNow();
                return null;
            }
            return answer;
        }

        @Override
        public synchronized void offer(IoSession session, WriteRequest writeRequest) {
            Node node = new Node(Objects.requireNonNull(writeRequest, "writeRequest"));
            if (tail == null) {
                head = node;
            } else {
                tail.next = node;
            }
            tail = node;
            size++;
        }

        @Override
        public synchronized boolean isEmpty(IoSession session) {
            return head == null;
        }

        @Override
        public synchronized void clear(IoSession session) {
            head = null;
            tail = null;
            size = 0;
        }

        @Override
        public void dispose(IoSession session) {
        }

        @Override
        public synchronized int size() {
            return size;
        }

        @Override
        public synchronized String toString() {
            return "WriteQueue of " + size;
        }
    }
}
