package dev.parley.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of the server under test (every thread, user and system), read from {@code /proc/PID/stat} at the
 * edges of the measured window. The servers share the machine's cores with the load tool, so throughput alone
 * does not say which of them does less work per delivery; this does.
 */
final class ServerCpu {
    /**
     * Clock ticks per second of {@code /proc/PID/stat}: Linux's USER_HZ, 100 on every architecture it
     * exports to user space (the kernel scales its internal HZ to it).
     */
    static final long TICKS_PER_SECOND = 100;

    private ServerCpu() {
    }

    /** The process's CPU time so far, in nanoseconds; fails when no such process runs here. */
    static long nanos(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.isReadable(stat)) {
            throw new IllegalArgumentException("no readable " + stat + ": is the server running on this machine?");
        }
        return parseNanos(Files.readString(stat));
    }

    /** utime + stime (fields 14 and 15) of a stat line; the command name in parentheses may hold spaces. */
    static long parseNanos(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }
}
