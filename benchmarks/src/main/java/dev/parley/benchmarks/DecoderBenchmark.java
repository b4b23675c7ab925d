package dev.parley.benchmarks;

import dev.parley.transport.mina.codec.FrameDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilter.NextFilter;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * transport-mina's FrameDecoder over one buffer of {@value #FRAMES} SAY frames (100-byte text, as the load
 * tool sends), as a socket read would hand it over: the figure is per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecoderBenchmark {
    static final int FRAMES = 100;

    private final FrameDecoder decoder = new FrameDecoder(4096, 1 << 20);
    private final DummySession session = new DummySession();
    private byte[] wire;
    private Blackhole blackhole;
    private final ProtocolDecoderOutput out = new ProtocolDecoderOutput() {
        @Override
        public void write(Object message) {
            blackhole.consume(message);
        }

        @Override
        public void flush(NextFilter nextFilter, IoSession session) {
        }
    };

    @Setup
    public void setUp() {
        StringBuilder sb = new StringBuilder();
        String text = "t=123456789012345;" + "x".repeat(100 - 18);
        for (int i = 0; i < FRAMES; i++) {
            sb.append("SAY #lobby :").append(text).append('\n');
        }
        wire = sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void decodeSayFrames(Blackhole bh) {
        blackhole = bh;
        decoder.decode(session, IoBuffer.wrap(wire), out);
    }
}
