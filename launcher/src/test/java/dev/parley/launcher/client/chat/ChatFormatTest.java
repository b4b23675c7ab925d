package dev.parley.launcher.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.ProtocolException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ChatFormatTest {
    // Local time is Paris (UTC+1 in November): the message's time tag is converted, the clock is 12:34 local.
    private final ChatFormat format = new ChatFormat(Clock.fixed(Instant.parse("2026-11-24T11:34:56Z"),
            ZoneId.of("UTC")), ZoneId.of("Europe/Paris"));

    private static Frame frame(String line) throws ProtocolException {
        return FrameParser.parse(line);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            @msgid=4;time=2026-11-24T10:59:01.123Z MSG #lobby alice :héllo wörld ✓ | 11:59 [#lobby] alice: héllo wörld ✓
            @msgid=5;time=2026-11-24T23:59:01.123Z MSG #lobby alice :after midnight | 2026-11-25 00:59 [#lobby] alice: after midnight
            @msgid=1;time=2026-11-20T09:00:00.000Z WHISPER alice :left for you | 2026-11-20 10:00 *alice* whispers: left for you
            MSG #lobby alice :no time tag                                        | 12:34 [#lobby] alice: no time tag
            WHISPER alice :psst                                                  | 12:34 *alice* whispers: psst
            @seq=3 JOINED #lobby bob                                             | 12:34 -!- bob joined #lobby
            LEFT #lobby bob :connection lost                                     | 12:34 -!- bob left #lobby (connection lost)
            LEFT #lobby bob                                                      | 12:34 -!- bob left #lobby
            RENAMED bob robert                                                   | 12:34 -!- bob is now known as robert
            TOPIC #lobby bob :release Friday                                     | 12:34 -!- bob changed the topic of #lobby to: release Friday
            TOPIC #lobby bob :                                                   | 12:34 -!- bob cleared the topic of #lobby
            FILE kq3z alice 3000000 9f86 :holiday.jpg                            | 12:34 -!- alice offers you 'holiday.jpg' (2.9 MiB); download it with /get kq3z
            FROB x :y                                                            | 12:34 -!- server: FROB x :y
            """)
    @DisplayName("events read as one line each")
    void events(String line, String shown) throws ProtocolException {
        assertThat(format.event(frame(line))).isEqualTo(shown);
    }

    @Test
    @DisplayName("received C1 controls and bidi overrides are escaped in every field")
    void escapesReceivedText() {
        Frame msg = Frame.of("MSG").params("#lobby", "ev\u202eil").trailing("a\u009b2Jb").build();
        assertThat(format.event(msg)).isEqualTo("12:34 [#lobby] ev\\u202eil: a\\u009b2Jb");
    }

    @Test
    @DisplayName("BYE is left to the end-of-connection message")
    void byeIsNotAnEvent() throws ProtocolException {
        assertThat(format.event(frame("BYE SHUTDOWN :bye"))).isNull();
    }

    @Test
    @DisplayName("own lines, notices and errors")
    void ownLines() {
        assertThat(format.ownMessage("#lobby", "me", "hi")).isEqualTo("12:34 [#lobby] me: hi");
        assertThat(format.ownWhisper("bob", "hi")).isEqualTo("12:34 -> *bob*: hi");
        assertThat(format.error("You are not in #lobby (NOT_IN_ROOM)")).isEqualTo("! You are not in #lobby (NOT_IN_ROOM)");
    }
}
