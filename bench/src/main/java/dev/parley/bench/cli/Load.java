package dev.parley.bench.cli;

import dev.parley.bench.scenario.Timing;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of the chat scenarios: message shape, window, pace and timing. */
public final class Load {
    @Option(names = {"-B", "--message-bytes"}, defaultValue = "100", description = "message text size (default: ${DEFAULT-VALUE})")
    int messageBytes;

    @Option(names = {"-W", "--window"}, defaultValue = "16", description = "unacknowledged messages per publisher (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--rate", defaultValue = "0", description = "messages/s per publisher; 0 = as fast as the window allows (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = {"-d", "--duration"}, defaultValue = "10", description = "measured seconds (default: ${DEFAULT-VALUE})")
    double durationSeconds;

    @Option(names = "--warmup", defaultValue = "3", description = "warm-up seconds, not measured (default: ${DEFAULT-VALUE})")
    double warmupSeconds;

    @Option(names = "--pid", defaultValue = "0",
            description = "the server's process id (on this machine): its CPU time over the measured window is reported")
    long serverPid;

    @Option(names = "--setup-timeout", defaultValue = "120", description = "seconds to connect and join everyone (default: ${DEFAULT-VALUE})")
    double setupSeconds;

    Timing timing() {
        return new Timing(seconds(warmupSeconds), seconds(durationSeconds), seconds(setupSeconds));
    }

    static Duration seconds(double s) {
        if (Double.isNaN(s) || s < 0 || s > 3600) {
            throw new IllegalArgumentException("seconds must be 0-3600: " + s);
        }
        return Duration.ofNanos((long) (s * 1e9));
    }
}
