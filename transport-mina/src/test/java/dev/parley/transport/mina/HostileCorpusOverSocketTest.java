package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sends every file of src/test/resources/hostile-frames on its own connection to one running server. */
@DisplayName("the hostile-frames corpus over loopback")
@Timeout(60)
class HostileCorpusOverSocketTest {

    @Test
    @DisplayName("each case is answered or cut off, and afterwards a new client still gets HELLO and HELP")
    void replayAll() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("src/test/resources/hostile-frames"))) {
            files = list.filter(f -> f.toString().endsWith(".bin")).sorted().toList();
        }
        try (TestServer server = TestServer.start()) {
            for (Path file : files) {
                String expected = file.getFileName().toString().split("-")[1];
                try (LineClient c = server.connect().hello()) {
                    c.sendRaw(Files.readAllBytes(file));
                    if (!expected.equals("FRAME") && !expected.equals("NOTHING")) {
                        assertThat(c.readLine()).as(file.getFileName().toString()).startsWith("ERR * " + expected + " :");
                    }
                }
            }
            try (LineClient c = server.connect().hello()) {
                c.send("HELP\n");
                String line;
                while ((line = c.readLine()).startsWith("COMMAND ")) {
                    // the command list
                }
                assertThat(line).matches("OK HELP \\d+");
            }
            TestServer.await("every corpus connection is gone", () -> server.transport.connectionCount() == 0);
        }
    }
}
