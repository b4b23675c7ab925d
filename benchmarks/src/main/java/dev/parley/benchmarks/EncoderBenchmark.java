package dev.parley.benchmarks;

import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * core's FrameWriter.encode of the MSG event a room fans out (msgid and time tags, 100-byte text), alone and
 * together with building the Frame, which is what Room.say does once per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EncoderBenchmark {
    private static final String TEXT = "t=123456789012345;" + "x".repeat(100 - 18);

    private final Frame message = build(42);
    private long msgid;

    private static Frame build(long msgid) {
        return Frame.of("MSG")
                .tag("msgid", Long.toString(msgid))
                .tag("time", "2026-11-24T23:59:01.123Z")
                .params("#lobby", "alice")
                .trailing(TEXT)
                .build();
    }

    @Benchmark
    public byte[] encodeMsg() {
        return FrameWriter.encode(message);
    }

    @Benchmark
    public byte[] buildAndEncodeMsg() {
        return FrameWriter.encode(build(++msgid));
    }
}
