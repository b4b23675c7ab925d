package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hostile bytes over real sockets: each is answered, the connection stays usable where the spec says so. */
@DisplayName("hostile input over loopback")
@Timeout(120)
class HostileInputTest {
    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] b ? b : part.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** A new client still gets HELLO and HELP: the server is up and answering. */
    private void assertServerAnswers() throws IOException {
        try (LineClient c = server.connect().hello()) {
            c.send("HELP\n");
            String line;
            while ((line = c.readLine()).startsWith("COMMAND ")) {
                // the command list
            }
            assertThat(line).matches("OK HELP \\d+");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            invalid UTF-8                 | ECHO :caf\\xC3\\x28 \\xFF       | BAD_ENCODING
            overlong UTF-8 encoding of /  | ECHO \\xC0\\xAF                 | BAD_ENCODING
            UTF-16 surrogate in UTF-8     | ECHO \\xED\\xA0\\x80            | BAD_ENCODING
            NUL in a parameter            | ECHO a\\x00b                    | BAD_SYNTAX
            ESC sequence in the trailing  | ECHO :\\x1B[2J\\x1B]0;pwned\\x07 | BAD_SYNTAX
            bare CR inside the line       | ECHO a\\rb                      | BAD_SYNTAX
            DEL                           | ECHO \\x7F                      | BAD_SYNTAX
            malformed tag                 | @=x ECHO                       | BAD_SYNTAX
            empty tag list                | @ ECHO                         | BAD_SYNTAX
            tag given twice               | @id=1;id=2 ECHO                | BAD_SYNTAX
            negative size                 | @size=-5 ECHO                  | BAD_SYNTAX
            non-numeric size              | @size=12a ECHO                 | BAD_SYNTAX
            size of 19 digits             | @size=1000000000000000000 ECHO | BAD_SYNTAX
            bad verb                      | EC/HO x                        | BAD_SYNTAX
            """)
    @DisplayName("a bad line is answered ERR * <CODE>, dropped, and the connection stays usable")
    void badLine(String what, String line, String code) throws IOException {
        try (LineClient c = server.connect().hello()) {
            c.sendRaw(bytes(unescape(line), "\n", "ECHO after\n"));
            assertThat(c.readLine()).startsWith("ERR * " + code + " :");
            assertThat(c.readLine()).isEqualTo("OK ECHO after");
        }
    }

    /** Turns {@code \xNN}, {@code \r} in the table into bytes. */
    private static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && s.charAt(i + 1) == 'x') {
                out.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else if (ch == '\\' && s.charAt(i + 1) == 'r') {
                out.write('\r');
                i++;
            } else {
                out.writeBytes(String.valueOf(ch).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    @Test
    @DisplayName("a bad line with a valid size tag: ERR, its payload is skipped, not run as commands")
    void payloadOfBadLineSkipped() throws IOException {
        try (LineClient c = server.connect().hello()) {
            byte[] payload = "QUIT\nBOOM\n".getBytes(StandardCharsets.US_ASCII);
            c.sendRaw(bytes("@size=10 EC/HO x\n", payload, "ECHO after\n"));
            assertThat(c.readLine()).startsWith("ERR * BAD_SYNTAX :");
            assertThat(c.readLine()).isEqualTo("OK ECHO after");
        }
    }

    @Test
    @DisplayName("a 10 GB size tag: ERR * PAYLOAD_TOO_LARGE, BYE PROTOCOL, closed; the server goes on")
    void tenGigabytes() throws IOException {
        try (LineClient c = server.connect().hello()) {
            c.send("@size=10737418240 ECHO\n" + "x".repeat(10_000));
            assertThat(c.readLine()).isEqualTo(
                    "ERR * PAYLOAD_TOO_LARGE :payload of 10737418240 bytes is larger than the limit of 1048576 bytes");
            assertThat(c.readLine()).startsWith("BYE PROTOCOL");
            c.expectClosed();
        }
        assertServerAnswers();
    }

    @Test
    @DisplayName("a 50 MB line without LF, then LF: one LINE_TOO_LONG and the connection is usable")
    void fiftyMegabyteLine() throws IOException {
        try (LineClient c = server.connect().hello()) {
            byte[] chunk = new byte[1024 * 1024];
            Arrays.fill(chunk, (byte) 'a');
            c.send("ECHO :");
            for (int i = 0; i < 50; i++) {
                c.sendRaw(chunk);
            }
            c.send("\nECHO after\n");
            assertThat(c.readLine()).startsWith("ERR * LINE_TOO_LONG");
            assertThat(c.readLine()).isEqualTo("OK ECHO after");
        }
    }

    @Test
    @DisplayName("a 50 MB line then hang-up, and half a payload then hang-up: the server goes on")
    void hangUps() throws IOException, InterruptedException {
        try (LineClient c = server.connect().hello()) {
            byte[] chunk = new byte[1024 * 1024];
            Arrays.fill(chunk, (byte) 'z');
            for (int i = 0; i < 50; i++) {
                c.sendRaw(chunk);
            }
        }
        try (LineClient c = server.connect().hello()) {
            c.send("@size=1000 ECHO\n" + "p".repeat(500));
        }
        TestServer.await("both hung-up connections are gone", () -> server.transport.connectionCount() == 0);
        assertServerAnswers();
    }

    @Test
    @DisplayName("300 connections of mutated garbage, 10 at a time: each is answered, the server stays up")
    void garbageStorm() throws Exception {
        List<byte[]> seeds = List.of(
                bytes("@id=1;size=3 ECHO a b :c d\n", "xyz"), bytes("HELP\nQUIT :bye\n"),
                bytes("@size=5 ECHO\n", new byte[] {0, '\n', (byte) 0xFF, '\r', 27}), bytes("SLOW 1\nECHO :", "é✓", "\n"));
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                Random random = new Random(i);
                byte[] garbage = mutate(seeds.get(i % seeds.size()), random);
                answers.add(pool.submit(() -> {
                    try (LineClient c = server.connect()) {
                        String hello = c.readLine();
                        c.sendRaw(garbage);
                        c.sendRaw(new byte[] {'\n'});
                        return hello;
                    }
                }));
            }
            for (Future<String> answer : answers) {
                assertThat(answer.get()).startsWith("HELLO ");
            }
        } finally {
            pool.shutdownNow();
        }
        assertServerAnswers();
        TestServer.await("every garbage connection is gone", () -> server.transport.connectionCount() == 0);
    }

    /** Flips, inserts and deletes bytes, favouring the ones parsers trip on, sometimes repeats the lot. */
    static byte[] mutate(byte[] seed, Random random) {
        byte[] specials = {0, '\n', '\r', ' ', '@', ';', '=', ':', 27, 127, (byte) 0xC3, (byte) 0xFF, '9'};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : seed) {
            int roll = random.nextInt(20);
            if (roll == 0) {
                continue; // delete
            }
            out.write(roll == 1 ? specials[random.nextInt(specials.length)] : roll == 2 ? random.nextInt(256) : b);
            if (roll == 3) {
                out.write(specials[random.nextInt(specials.length)]); // insert
            }
        }
        byte[] once = out.toByteArray();
        int copies = 1 + random.nextInt(4);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < copies; i++) {
            all.writeBytes(once);
        }
        return all.toByteArray();
    }
}
