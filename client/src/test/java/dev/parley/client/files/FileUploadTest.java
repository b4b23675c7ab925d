package dev.parley.client.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.ConnectionListener;
import dev.parley.client.ParleyConnection;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link FileUpload} puts on the wire, against a scripted server on loopback: the checksum at the end
 * ({@code OFFER ... -}, the chunks, {@code SEAL} with the SHA-256 of every byte), and the checksum up front for a
 * server from before SEAL, which refuses the {@code -}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FileUploadTest {
    private static final Pattern SIZE = Pattern.compile("^@(?:\\S*;)?size=(\\d+)");
    private static final String FILE_ID = "kq3z5v7mbx2hd4tjw6ypn8ac4e";

    @TempDir
    Path tmp;

    @Test
    @DisplayName("OFFER with -, then every chunk in order, then SEAL with the file's SHA-256; no read of the file before OFFER is needed")
    void sealsAtTheEnd() throws Exception {
        byte[] content = random(700_000, 1);
        Path file = Files.write(tmp.resolve("a b.bin"), content);
        List<String> heard = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> serve(server, heard, received, false));
            FileUpload.Sent sent = upload(server.getLocalPort(), file);
            assertThat(sent.sha256()).isEqualTo(sha256(content));
        }
        assertThat(heard.get(0)).isEqualTo("OFFER bob a_b.bin 700000 -");
        assertThat(heard).filteredOn(l -> l.startsWith("CHUNK")).containsExactly(
                "CHUNK " + FILE_ID + " 0", "CHUNK " + FILE_ID + " 262144", "CHUNK " + FILE_ID + " 524288");
        assertThat(heard).last().isEqualTo("SEAL " + FILE_ID + " " + sha256(content));
        assertThat(received.toByteArray()).isEqualTo(content);
    }

    @Test
    @DisplayName("a server from before SEAL refuses -: the file is hashed first and offered with its SHA-256, and no SEAL follows")
    void checksumUpFrontForAnOlderServer() throws Exception {
        byte[] content = random(300_000, 2);
        Path file = Files.write(tmp.resolve("old.bin"), content);
        List<String> heard = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> serve(server, heard, received, true));
            FileUpload.Sent sent = upload(server.getLocalPort(), file);
            assertThat(sent.sha256()).isEqualTo(sha256(content));
        }
        assertThat(heard.subList(0, 2)).containsExactly("OFFER bob old.bin 300000 -",
                "OFFER bob old.bin 300000 " + sha256(content));
        assertThat(heard).noneMatch(l -> l.startsWith("SEAL"));
        assertThat(received.toByteArray()).isEqualTo(content);
    }

    @Test
    @DisplayName("chunk arrays are filled again only once the server answered them and they are hashed: every byte and the SEAL's SHA-256 are the file's")
    void reusedChunkArraysCarryTheRightBytes() throws Exception {
        byte[] content = random(1_000_003, 3);
        Path file = Files.write(tmp.resolve("many.bin"), content);
        List<String> heard = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        FileUpload.Sent sent;
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> serve(server, heard, received, false));
            // 4 KiB chunks, 3 unanswered at most: 245 chunks go through a handful of arrays, each reused many times.
            sent = upload(server.getLocalPort(), file, 4096, 3);
        }
        assertThat(heard).filteredOn(l -> l.startsWith("CHUNK")).hasSize(245);
        assertThat(received.toByteArray()).isEqualTo(content);
        assertThat(sent.sha256()).isEqualTo(sha256(content));
        assertThat(heard).last().isEqualTo("SEAL " + FILE_ID + " " + sha256(content));
    }

    private static FileUpload.Sent upload(int port, Path file) throws Exception {
        return upload(port, file, FileUpload.CHUNK_BYTES, FileUpload.WINDOW);
    }

    private static FileUpload.Sent upload(int port, Path file, int chunkBytes, int window) throws Exception {
        try (ParleyConnection link = ParleyConnection.open("127.0.0.1", port, Duration.ofSeconds(5),
                new ConnectionListener() {
                })) {
            return new FileUpload(link, Duration.ofSeconds(10), chunkBytes, window).send("bob", file, Progress.NONE);
        }
    }

    /**
     * Answers OFFER (refusing {@code -} when {@code old}), CHUNK and SEAL as a server would, recording each
     * command without its tags and the chunks' bytes, until the client closes.
     */
    private static void serve(ServerSocket server, List<String> heard, ByteArrayOutputStream received, boolean old) {
        try (Socket s = server.accept()) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            send(out, "HELLO parley 1 test :filetransfer");
            long next = 0;
            for (String line = readLine(in); line != null; line = readLine(in)) {
                String id = line.startsWith("@") ? idTag(line) : "";
                String command = line.startsWith("@") ? line.substring(line.indexOf(' ') + 1) : line;
                Matcher size = SIZE.matcher(line);
                byte[] payload = size.find() ? in.readNBytes(Integer.parseInt(size.group(1))) : null;
                heard.add(command);
                String[] words = command.split(" ");
                switch (words[0]) {
                    case "OFFER" -> send(out, old && words[4].equals("-")
                            ? id + "ERR OFFER BAD_ARGUMENT :sha256 must be 64 hex digits: '-'"
                            : id + "OK OFFER " + FILE_ID + " 0");
                    case "CHUNK" -> {
                        received.write(payload);
                        next += payload.length;
                        send(out, id + "OK CHUNK " + FILE_ID + " " + next);
                    }
                    case "SEAL" -> send(out, id + "OK SEAL " + FILE_ID + " " + next);
                    case "QUIT" -> send(out, id + "OK QUIT");
                    default -> send(out, id + "ERR " + words[0] + " UNKNOWN_COMMAND :no");
                }
            }
        } catch (IOException e) {
            // the client closed
        }
    }

    private static String idTag(String line) {
        for (String tag : line.substring(1, line.indexOf(' ')).split(";")) {
            if (tag.startsWith("id=")) {
                return "@" + tag + " ";
            }
        }
        return "";
    }

    private static String readLine(DataInputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return null;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
