package dev.parley.bench.scenario;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether the server still holds its end of a loopback connection, read from the kernel's socket table
 * ({@code /proc/net/tcp} and {@code tcp6}). A client that does not read cannot see a cut-off: the server's
 * {@code BYE} and its FIN wait behind the data that already fills the client's receive buffer, so the client's
 * socket stays ESTABLISHED for minutes. The server's end, on this same machine, leaves ESTABLISHED the moment
 * the server closes it (FIN_WAIT1 while that data cannot be delivered, or gone after a reset).
 */
final class ServerEnds {
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    /** The kernel's code for ESTABLISHED; CLOSE_WAIT (08) means the client closed first, so the server had not. */
    private static final int ESTABLISHED = 0x01;
    private static final int CLOSE_WAIT = 0x08;

    /** One connection as the server's end sees it: its local port, the client's address and port. */
    record End(int serverPort, String clientHex, int clientPort) {
        static End of(InetSocketAddress client, int serverPort) {
            return new End(serverPort, hex(client), client.getPort());
        }
    }

    private ServerEnds() {
    }

    /**
     * Which of these connections the server still holds open (its end ESTABLISHED, or CLOSE_WAIT after the
     * client closed): a connection missing from the result or mapped to false was closed by the server.
     *
     * @throws IOException where the kernel's table cannot be read (not Linux)
     */
    static Map<End, Boolean> open(Iterable<End> ends) throws IOException {
        Map<Long, List<String[]>> byPorts = new HashMap<>(); // server port << 16 | client port -> {remote hex, state}
        boolean any = false;
        for (Path table : TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            any = true;
            for (String line : Files.readAllLines(table)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[0].endsWith(":")) {
                    continue; // the header
                }
                int localColon = f[1].lastIndexOf(':');
                int remoteColon = f[2].lastIndexOf(':');
                long localPort = Integer.parseInt(f[1].substring(localColon + 1), 16);
                int remotePort = Integer.parseInt(f[2].substring(remoteColon + 1), 16);
                byPorts.computeIfAbsent(localPort << 16 | remotePort, k -> new ArrayList<>())
                        .add(new String[] {f[2].substring(0, remoteColon), f[3]});
            }
        }
        if (!any) {
            throw new IOException("no /proc/net/tcp: the server's end of a connection cannot be seen on this system");
        }
        Map<End, Boolean> result = new HashMap<>();
        for (End end : ends) {
            boolean open = false;
            for (String[] entry : byPorts.getOrDefault((long) end.serverPort << 16 | end.clientPort, List.of())) {
                // the remote address is the client's: equal, or an IPv4-mapped IPv6 form that ends with it
                if (entry[0].endsWith(end.clientHex) && isOpen(Integer.parseInt(entry[1], 16))) {
                    open = true;
                }
            }
            result.put(end, open);
        }
        return result;
    }

    private static boolean isOpen(int state) {
        return state == ESTABLISHED || state == CLOSE_WAIT;
    }

    /** An address as the kernel's table prints it: each 32-bit word in host (little-endian) order, in hex. */
    static String hex(InetSocketAddress address) {
        byte[] b = address.getAddress().getAddress();
        StringBuilder sb = new StringBuilder();
        for (int word = 0; word < b.length; word += 4) {
            for (int i = 3; i >= 0; i--) {
                sb.append(String.format(Locale.ROOT, "%02X", b[word + i] & 0xff));
            }
        }
        return sb.toString();
    }
}
