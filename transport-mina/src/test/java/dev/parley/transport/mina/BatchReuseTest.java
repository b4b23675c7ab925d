package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Batch arrays are reused, and only once MINA has written them. MINA's socket is replaced by a filter that
 * holds every write until the test completes it, so which write is in flight is decided by the test alone.
 */
@DisplayName("batch arrays")
class BatchReuseTest {

    /** A connection on an in-memory session whose writes stay in flight until {@link #complete()}. */
    private static final class Held {
        final ArrayDeque<WriteRequest> inFlight = new ArrayDeque<>();
        final MinaConnection connection;

        Held() {
            DummySession session = new DummySession();
            session.getFilterChain().addLast("hold", new IoFilterAdapter() {
                @Override
                public void filterWrite(NextFilter next, IoSession s, WriteRequest request) {
                    inFlight.add(request);
                }
            });
            connection = new MinaConnection(session, Long.MAX_VALUE);
        }

        /** Completes the write in flight; returns the buffer MINA was given for the next one, if any. */
        IoBuffer complete() {
            inFlight.poll().getFuture().setWritten();
            WriteRequest next = inFlight.peek();
            return next == null ? null : (IoBuffer) next.getMessage();
        }
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(IoBuffer buffer) {
        return new String(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining(),
                StandardCharsets.US_ASCII);
    }

    @Nested
    @DisplayName("in MinaConnection")
    class InConnection {

        @Test
        @DisplayName("the next batch reuses the array of the batch whose write completed, with only its own bytes")
        void reusedAfterCompletion() {
            Held held = new Held();
            held.connection.write(line("first"));
            held.connection.write(line("a1"));
            held.connection.write(line("a2"));
            IoBuffer batchA = held.complete();
            held.connection.write(line("b1"));
            held.connection.write(line("b2"));
            held.connection.write(line("b3"));

            // Batch A is still in flight: the frames queued meanwhile did not touch its bytes.
            assertThat(text(batchA)).isEqualTo("a1\na2\n");
            byte[] arrayA = batchA.array();

            IoBuffer batchB = held.complete();

            assertThat(batchB.array()).isSameAs(arrayA);
            assertThat(text(batchB)).isEqualTo("b1\nb2\nb3\n");
        }

        @Test
        @DisplayName("two connections with batches in flight never share an array")
        void notSharedWhileInFlight() {
            Held one = new Held();
            Held two = new Held();
            for (Held h : new Held[] {one, two}) {
                h.connection.write(line("first"));
                h.connection.write(line("x1"));
                h.connection.write(line("x2"));
            }
            IoBuffer batchOne = one.complete();
            two.connection.write(line("y3"));
            IoBuffer batchTwo = two.complete();

            assertThat(batchTwo.array()).isNotSameAs(batchOne.array());
            assertThat(text(batchOne)).isEqualTo("x1\nx2\n");
            assertThat(text(batchTwo)).isEqualTo("x1\nx2\ny3\n");
        }

        @Test
        @DisplayName("a single queued frame goes uncopied, and a drained connection keeps no array")
        void singleFrameUncopied() {
            Held held = new Held();
            held.connection.write(line("first"));
            byte[] alone = line("alone");
            held.connection.write(alone);

            IoBuffer next = held.complete();

            assertThat(next.array()).isSameAs(alone);
            assertThat(held.complete()).isNull();
        }
    }

    @Nested
    @DisplayName("per thread")
    class PerThread {

        @Test
        @DisplayName("an array given back is taken again for a batch of the same size class")
        void takeAfterGive() {
            byte[] array = BatchArrays.take(3000);
            assertThat(array.length).isEqualTo(4096);
            BatchArrays.give(array);

            assertThat(BatchArrays.take(2100)).isSameAs(array);
            assertThat(BatchArrays.take(2100)).isNotSameAs(array).hasSize(4096);
        }

        @Test
        @DisplayName("at most a few arrays per size are kept, and arrays of other sizes are not kept")
        void bounded() {
            int size = 64 * 1024;
            while (BatchArrays.kept(size) > 0) {
                BatchArrays.take(size);
            }
            for (int i = 0; i < BatchArrays.KEEP_PER_SIZE + 3; i++) {
                BatchArrays.give(new byte[size]);
            }
            BatchArrays.give(new byte[size - 1]);

            assertThat(BatchArrays.kept(size)).isEqualTo(BatchArrays.KEEP_PER_SIZE);
        }

        @Test
        @DisplayName("sizes from 1 byte to the batch cap map to powers of two, larger ones to exact arrays")
        void sizes() {
            assertThat(BatchArrays.take(1)).hasSize(BatchArrays.SMALLEST);
            assertThat(BatchArrays.take(BatchArrays.SMALLEST + 1)).hasSize(2 * BatchArrays.SMALLEST);
            assertThat(BatchArrays.take(MinaConnection.MAX_BATCH_BYTES)).hasSize(MinaConnection.MAX_BATCH_BYTES);
            assertThat(BatchArrays.take(MinaConnection.MAX_BATCH_BYTES + 1)).hasSize(MinaConnection.MAX_BATCH_BYTES + 1);
        }
    }
}
