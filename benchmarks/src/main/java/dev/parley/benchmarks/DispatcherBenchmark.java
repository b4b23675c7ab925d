package dev.parley.benchmarks;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.net.Connection;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.Frame;
import dev.parley.core.server.CoreSettings;
import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.Reply;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * core's ServerCore from a decoded frame to its encoded reply: a registered-free sync command on one session
 * of a fake connection, {@value #BATCH} commands pipelined (as a busy client does), waiting for every reply.
 * Includes the hand-off to a worker thread, the ordering queue, the dispatch and the encoding of the reply.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DispatcherBenchmark {
    static final int BATCH = 100;

    private ServerCore core;
    private InboundHandler session;
    private final FakeConnection connection = new FakeConnection();
    private final Frame ping = Frame.of("PING").params("#lobby").trailing("t=123456789012345;xxxxxxxx").build();

    @Setup(Level.Trial)
    public void setUp() {
        ParleyPlugin plugin = new ParleyPlugin() {
            @Override
            public String name() {
                return "bench";
            }

            @Override
            public List<Command> commands() {
                return List.of(Command.sync("PING", "answers at once", request -> Reply.ok(request.frame().param(0)))
                        .beforeRegistration());
            }
        };
        core = new ServerCore(new CoreSettings("bench", 4, 256), ConfigFactory.parseString("parley {}"),
                List.of(plugin), "bench");
        core.start();
        session = core.connected(connection);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        core.shutdown(Duration.ofSeconds(1));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long dispatchSyncCommand() {
        long target = connection.writes.get() + BATCH;
        for (int i = 0; i < BATCH; i++) {
            session.frame(ping);
        }
        long n;
        while ((n = connection.writes.get()) < target) {
            Thread.onSpinWait();
        }
        return n;
    }

    /** Counts what core writes; never blocks, never closes. */
    static final class FakeConnection implements Connection {
        final AtomicLong writes = new AtomicLong();

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public boolean write(byte[] encoded) {
            writes.incrementAndGet();
            return true;
        }

        @Override
        public long pendingBytes() {
            return 0;
        }

        @Override
        public void suspendInput() {
        }

        @Override
        public void resumeInput() {
        }

        @Override
        public void close() {
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }
}
