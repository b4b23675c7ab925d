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
 * {@link MinaConnection} and MINA's I/O processor; a few more under TLS) and, with {@code MinaConnection}'s
 * batching, at most a write or two in MINA's queue, so a locked array and a locked linked list do the same job
 * in 48 and 24 bytes.
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

    /** Keys and values side by side in one array, searched linearly: sessions hold one to a few attributes. */
    static final class AttributeMap implements IoSessionAttributeMap {
        /** Pairs: a server session's own attribute and MINA's processor. */
        private static final int FIRST_CAPACITY = 2;

        private Object[] entries; // guarded by this; null while empty

        @Override
        public synchronized Object getAttribute(IoSession session, Object key, Object defaultValue) {
            int i = indexOf(checked(key));
            if (i >= 0) {
                return entries[i + 1];
            }
            if (defaultValue != null) {
                add(key, defaultValue);
            }
            return defaultValue;
        }

        @Override
        public synchronized Object setAttribute(IoSession session, Object key, Object value) {
            if (value == null) {
                return remove(checked(key));
            }
            int i = indexOf(checked(key));
            if (i >= 0) {
                Object old = entries[i + 1];
                entries[i + 1] = value;
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
            int i = indexOf(key);
            if (i >= 0) {
                return entries[i + 1];
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
            int i = indexOf(checked(key));
            if (value == null || i < 0 || !value.equals(entries[i + 1])) {
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
            int i = indexOf(key);
            if (i < 0 || !oldValue.equals(entries[i + 1])) {
                return false;
            }
            entries[i + 1] = newValue;
            return true;
        }

        @Override
        public synchronized boolean containsAttribute(IoSession session, Object key) {
            return key != null && indexOf(key) >= 0;
        }

        @Override
        public synchronized Set<Object> getAttributeKeys(IoSession session) {
            Set<Object> keys = new HashSet<>();
            if (entries != null) {
                for (int i = 0; i < entries.length; i += 2) {
                    if (entries[i] != null) {
                        keys.add(entries[i]);
                    }
                }
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

        private int indexOf(Object key) {
            if (entries != null) {
                for (int i = 0; i < entries.length; i += 2) {
                    if (key.equals(entries[i])) {
                        return i;
                    }
                }
            }
            return -1;
        }

        private void add(Object key, Object value) {
            int free = -1;
            if (entries == null) {
                entries = new Object[2 * FIRST_CAPACITY];
                free = 0;
            } else {
                for (int i = 0; i < entries.length && free < 0; i += 2) {
                    if (entries[i] == null) {
                        free = i;
                    }
                }
                if (free < 0) {
                    free = entries.length;
                    Object[] grown = new Object[entries.length + 2];
                    System.arraycopy(entries, 0, grown, 0, entries.length);
                    entries = grown;
                }
            }
            entries[free] = key;
            entries[free + 1] = value;
        }

        private Object remove(Object key) {
            int i = indexOf(key);
            if (i < 0) {
                return null;
            }
            Object old = entries[i + 1];
            entries[i] = null;
            entries[i + 1] = null;
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
