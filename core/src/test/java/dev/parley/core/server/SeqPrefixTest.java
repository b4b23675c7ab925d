package dev.parley.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeqPrefixTest {
    @ParameterizedTest(name = "seq {0}")
    @ValueSource(longs = {1, 9, 10, 99, 100, 12345, 1_000_000_007L, Long.MAX_VALUE})
    void writesTheNumberInDecimal(long seq) {
        assertThat(new String(ServerSession.seqPrefix(seq, true), StandardCharsets.US_ASCII)).isEqualTo("@seq=" + seq + ";");
        assertThat(new String(ServerSession.seqPrefix(seq, false), StandardCharsets.US_ASCII)).isEqualTo("@seq=" + seq + " ");
    }
}
