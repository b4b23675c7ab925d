package dev.parley.transport.mina.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
import dev.parley.transport.mina.codec.DecoderHarness.Feed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Replays src/test/resources/hostile-frames (see its README) through the decoder. */
@DisplayName("the hostile-frames corpus through the decoder")
class HostileCorpusTest {
    static final Path CORPUS = Path.of("src/test/resources/hostile-frames");

    static List<Path> corpus() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(f -> f.toString().endsWith(".bin")).sorted().toList();
        }
    }

    static Stream<Arguments> cases() throws IOException {
        return corpus().stream().flatMap(f -> Stream.of(Feed.values()).map(feed -> Arguments.of(f.getFileName(), feed)));
    }

    @Test
    @DisplayName("the corpus is there")
    void present() throws IOException {
        assertThat(corpus()).hasSizeGreaterThanOrEqualTo(30);
    }

    @ParameterizedTest(name = "{0} fed {1}")
    @MethodSource("cases")
    @DisplayName("each case: the expected first output, bounded, never a QUIT from a skipped payload")
    void replay(Path name, Feed feed) throws IOException {
        String expected = name.toString().split("-")[1];
        DecoderHarness h = new DecoderHarness(4096, 1024 * 1024);

        h.feed(feed, Files.readAllBytes(CORPUS.resolve(name)));

        assertThat(h.lineBufferCapacity()).isLessThanOrEqualTo(4097);
        if (expected.equals("NOTHING")) {
            assertThat(h.outputs).isEmpty();
            return;
        }
        assertThat(h.outputs).isNotEmpty();
        Object first = h.outputs.get(0);
        if (expected.equals("FRAME")) {
            assertThat(first).isInstanceOf(Frame.class);
        } else {
            assertThat(first).isInstanceOf(DecodeError.class);
            assertThat(((DecodeError) first).error().code().name()).isEqualTo(expected);
        }
        assertThat(h.outputs).noneMatch(o -> o instanceof Frame f && f.verb().equals("QUIT"));
    }
}
