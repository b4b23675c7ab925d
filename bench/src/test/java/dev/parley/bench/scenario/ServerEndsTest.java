package dev.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ServerEndsTest {

    @Test
    @DisplayName("the server's end of a loopback connection is seen open, then closed once the server closes it, while the client never reads")
    void seesTheServerClose() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket()) {
            client.setReceiveBufferSize(4096);
            client.connect(listener.getLocalSocketAddress());
            ServerEnds.End end = ServerEnds.End.of((InetSocketAddress) client.getLocalSocketAddress(), listener.getLocalPort());
            try (Socket accepted = listener.accept()) {
                assertThat(ServerEnds.open(List.of(end))).containsEntry(end, true);
                // fill the client's buffers, as for a reader that stopped, so the FIN cannot reach it
                accepted.getOutputStream().write(new byte[64 * 1024]);
            }
            assertThat(ServerEnds.open(List.of(end))).containsEntry(end, false);
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    @DisplayName("addresses are written as the kernel's table writes them: each 32-bit word in little-endian order")
    void hex() throws Exception {
        assertThat(ServerEnds.hex(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 1))).isEqualTo("0300007F");
        assertThat(ServerEnds.hex(new InetSocketAddress(InetAddress.getByName("::1"), 1)))
                .isEqualTo("00000000000000000000000001000000");
    }
}
