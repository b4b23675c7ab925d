package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A protocol client on a plain socket, reading with a timeout: the "other member" of the tests. */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final List<String> seen = new ArrayList<>();

    public RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        assertThat(readLine()).startsWith("HELLO ");
    }

    /** Registers and joins, waiting for both replies. */
    public static RawClient member(int port, String nick, String room) throws IOException {
        RawClient client = new RawClient(port);
        client.send("NICK " + nick);
        client.await(line -> line.startsWith("OK NICK"));
        client.send("JOIN " + room);
        client.await(line -> line.startsWith("OK JOIN"));
        return client;
    }

    public void send(String line) throws IOException {
        socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** Reads until a line matches; fails on timeout or end of stream, listing what came. */
    public String await(Predicate<String> wanted) throws IOException {
        while (true) {
            String line = readLine();
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    private String readLine() throws IOException {
        String line;
        try {
            line = in.readLine();
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("no awaited line within 20 s; got " + seen, e);
        }
        assertThat(line).as("a line before the end of the stream; got " + seen).isNotNull();
        seen.add(line);
        return line;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
