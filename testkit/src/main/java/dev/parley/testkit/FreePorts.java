package dev.parley.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback ports for listeners a test has to name before they bind, such as a cluster's member list (a test
 * that can bind port 0 and read the port back should do that instead).
 *
 * <p>A port taken from {@code new ServerSocket(0)} and closed again lies in the kernel's ephemeral range, which
 * is also where every outgoing connection gets its local port: a cluster member dialling a peer that is not up
 * yet could take the very port that peer is about to bind ("Port ... is already in use", seen in CI). The
 * ports here lie below that range, so only a listener that names them explicitly can take them; each is
 * checked free when handed out, and none is handed out twice in a JVM.
 */
public final class FreePorts {
    private static final int LOWEST = 20_000;
    /** Where an unreadable or unknown range is assumed to start: Linux's default. */
    private static final int DEFAULT_EPHEMERAL_START = 32_768;
    private static final int ABOVE = ephemeralStart();
    /** Starts at a random place, so that test JVMs running side by side rarely try the same ports. */
    private static final AtomicInteger next =
            new AtomicInteger(LOWEST + ThreadLocalRandom.current().nextInt(Math.max(1, ABOVE - LOWEST)));

    private FreePorts() {
    }

    /** A port on 127.0.0.1 that nothing listens on now and no outgoing connection will be given. */
    public static int next() {
        for (int tried = 0; tried < ABOVE - LOWEST; tried++) {
            int port = LOWEST + Math.floorMod(next.getAndIncrement() - LOWEST, ABOVE - LOWEST);
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException inUse) {
                // taken: try the next
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + ABOVE);
    }

    /** The first port of the kernel's ephemeral range (Linux: net.ipv4.ip_local_port_range). */
    private static int ephemeralStart() {
        try {
            // Not Files.readString: procfs reports a size of 0, and that read returned only "3" of "32768 60999".
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST + 1_000 ? start : DEFAULT_EPHEMERAL_START;
        } catch (IOException | RuntimeException unknown) {
            return DEFAULT_EPHEMERAL_START;
        }
    }
}
