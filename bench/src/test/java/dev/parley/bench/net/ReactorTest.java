package dev.parley.bench.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReactorTest {

    @Test
    @DisplayName("lines split across reads arrive whole, CR LF (even split between reads) and LF alike, and what is sent reaches the peer")
    void linesAcrossReads() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        try (ServerSocketChannel server = ServerSocketChannel.open();
             Reactor reactor = new Reactor("test-io")) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            Link link = reactor.connect((InetSocketAddress) server.getLocalAddress(), (l, line) -> lines.add(line.toString())).get(5, TimeUnit.SECONDS);
            try (SocketChannel peer = server.accept()) {
                write(peer, "HELLO par");
                write(peer, "ley\r\nOK NICK b1\nOK JO");
                write(peer, "IN #r\n");
                List<String> got = List.of(poll(lines), poll(lines), poll(lines));
                assertThat(got).containsExactly("HELLO parley", "OK NICK b1", "OK JOIN #r");
                write(peer, "@t=1 MSG #r a :a line longer than one word\r");
                write(peer, "\nx\r\n\n");
                assertThat(List.of(poll(lines), poll(lines), poll(lines)))
                        .containsExactly("@t=1 MSG #r a :a line longer than one word", "x", "");

                reactor.execute(() -> link.send("NICK b1\n"));
                ByteBuffer in = ByteBuffer.allocate(64);
                while (in.position() < 8) {
                    peer.read(in);
                }
                assertThat(new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1)).isEqualTo("NICK b1\n");
            }
        }
    }

    private static void write(SocketChannel peer, String text) throws Exception {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (buffer.hasRemaining()) {
            peer.write(buffer);
        }
    }

    private static String poll(BlockingQueue<String> lines) throws InterruptedException {
        String line = lines.poll(5, TimeUnit.SECONDS);
        assertThat(line).as("a line within 5 s").isNotNull();
        return line;
    }
}
