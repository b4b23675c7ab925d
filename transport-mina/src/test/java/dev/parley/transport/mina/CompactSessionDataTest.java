package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.mina.core.session.AbstractIoSession;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSessionAttributeMap;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteRequest;
import org.apache.mina.core.write.WriteRequestQueue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("CompactSessionData")
class CompactSessionDataTest {
    private final DummySession session = new DummySession();
    private final CompactSessionData factory = new CompactSessionData();

    @Nested
    @DisplayName("the attribute map behaves like MINA's")
    class Attributes {
        private final IoSessionAttributeMap map = factory.getAttributeMap(session);

        @Test
        @DisplayName("set, get, replace the value, remove; a null value removes")
        void setGetRemove() {
            assertThat(map.setAttribute(session, "a", 1)).isNull();
            assertThat(map.setAttribute(session, "b", 2)).isNull();
            assertThat(map.setAttribute(session, "a", 3)).isEqualTo(1);
            assertThat(map.getAttribute(session, "a", null)).isEqualTo(3);
            assertThat(map.getAttribute(session, "b", null)).isEqualTo(2);
            assertThat(map.getAttributeKeys(session)).containsExactlyInAnyOrder("a", "b");

            assertThat(map.removeAttribute(session, "a")).isEqualTo(3);
            assertThat(map.containsAttribute(session, "a")).isFalse();
            assertThat(map.setAttribute(session, "b", null)).isEqualTo(2);
            assertThat(map.getAttributeKeys(session)).isEmpty();
            assertThat(map.getAttribute(session, "b", null)).isNull();
        }

        @Test
        @DisplayName("ten attributes with one removed and one added: each key keeps its own value")
        void reuseAndGrow() {
            for (int i = 0; i < 10; i++) {
                map.setAttribute(session, "k" + i, i);
            }
            map.removeAttribute(session, "k3");
            map.setAttribute(session, "new", "n");
            for (int i = 0; i < 10; i++) {
                assertThat(map.getAttribute(session, "k" + i, null)).isEqualTo(i == 3 ? null : i);
            }
            assertThat(map.getAttribute(session, "new", null)).isEqualTo("n");
            assertThat(map.getAttributeKeys(session)).hasSize(10);
        }

        @Test
        @DisplayName("a default value is stored when the key is absent and returned; a present value wins")
        void defaults() {
            assertThat(map.getAttribute(session, "a", "d")).isEqualTo("d");
            assertThat(map.getAttribute(session, "a", "other")).isEqualTo("d");
            assertThat(map.setAttributeIfAbsent(session, "a", "x")).isEqualTo("d");
            assertThat(map.setAttributeIfAbsent(session, "b", "y")).isNull();
            assertThat(map.getAttribute(session, "b", null)).isEqualTo("y");
            assertThat(map.setAttributeIfAbsent(session, "c", null)).isNull();
            assertThat(map.containsAttribute(session, "c")).isFalse();
        }

        @Test
        @DisplayName("conditional remove and replace act only on an equal current value")
        void conditional() {
            map.setAttribute(session, "a", "v");
            assertThat(map.removeAttribute(session, "a", "w")).isFalse();
            assertThat(map.replaceAttribute(session, "a", "w", "z")).isFalse();
            assertThat(map.replaceAttribute(session, "a", "v", "z")).isTrue();
            assertThat(map.getAttribute(session, "a", null)).isEqualTo("z");
            assertThat(map.removeAttribute(session, "a", null)).isFalse();
            assertThat(map.removeAttribute(session, "a", "z")).isTrue();
            assertThat(map.containsAttribute(session, "a")).isFalse();
            assertThat(map.replaceAttribute(session, "a", "z", "q")).isFalse();
        }

        @Test
        @DisplayName("a null key is refused")
        void nullKey() {
            assertThatThrownBy(() -> map.setAttribute(session, null, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> map.getAttribute(session, null, null)).isInstanceOf(IllegalArgumentException.class);
            assertThat(map.containsAttribute(session, null)).isFalse();
        }
    }

    @Nested
    @DisplayName("the write queue")
    class Queue {
        private final WriteRequestQueue queue = factory.getWriteRequestQueue(session);

        @Test
        @DisplayName("hands requests out first in, first out, and counts them")
        void fifo() {
            WriteRequest a = new DefaultWriteRequest("a");
            WriteRequest b = new DefaultWriteRequest("b");
            assertThat(queue.isEmpty(session)).isTrue();
            assertThat(queue.poll(session)).isNull();
            queue.offer(session, a);
            queue.offer(session, b);
            assertThat(queue.size()).isEqualTo(2);
            assertThat(queue.poll(session)).isSameAs(a);
            queue.offer(session, a);
            assertThat(queue.poll(session)).isSameAs(b);
            assertThat(queue.poll(session)).isSameAs(a);
            assertThat(queue.isEmpty(session)).isTrue();
            assertThat(queue.size()).isZero();
        }

        @Test
        @DisplayName("clear() drops everything")
        void clear() {
            queue.offer(session, new DefaultWriteRequest("a"));
            queue.offer(session, new DefaultWriteRequest("b"));
            queue.clear(session);
            assertThat(queue.isEmpty(session)).isTrue();
            assertThat(queue.poll(session)).isNull();
            queue.offer(session, new DefaultWriteRequest("c"));
            assertThat(queue.size()).isEqualTo(1);
        }

        @Test
        @DisplayName("closeOnFlush's marker closes the session when it comes up, after the writes before it")
        void closeMarker() {
            WriteRequest last = new DefaultWriteRequest("last");
            queue.offer(session, last);
            queue.offer(session, AbstractIoSession.CLOSE_REQUEST);

            assertThat(queue.poll(session)).isSameAs(last);
            assertThat(session.isClosing()).isFalse();
            assertThat(queue.poll(session)).isNull();
            assertThat(session.isClosing()).isTrue();
        }
    }
}
