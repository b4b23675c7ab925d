package dev.parley.bench.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.bench.net.Line;
import dev.parley.bench.wire.Inbound.Kind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DialectTest {

    @Nested
    @DisplayName("Parley")
    class Parley {
        private final Dialect dialect = Target.PARLEY.dialect();

        @Test
        @DisplayName("builds NICK, JOIN and SAY lines ended by LF")
        void builds() {
            assertThat(dialect.register("bob", true)).isEqualTo("NICK bob\n");
            assertThat(dialect.join("r1")).isEqualTo("JOIN #r1\n");
            assertThat(dialect.publish("r1", "t=5;xx")).isEqualTo("SAY #r1 :t=5;xx\n");
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', value = {
                "HELLO parley 1 0.1.0 :chat filetransfer heartbeat | OTHER",
                "OK NICK bob                                         | REGISTERED",
                "OK JOIN #r1                                         | JOINED",
                "OK SAY #r1                                          | ACK",
                "@id=3 OK SAY #r1                                    | OTHER",
                "JOINED #r1 alice                                    | OTHER",
                "ERR SAY NOT_IN_ROOM :you are not in #r1             | ERROR",
                "BYE SLOW_CONSUMER :read faster                      | ERROR",
        })
        void classifies(String line, Kind kind) {
            assertThat(dialect.newParser().parse(Line.of(line.strip())).kind()).isEqualTo(kind);
        }

        @Test
        @DisplayName("a MSG event is a delivery sent when its trailing text says, tags or not")
        void delivery() {
            Dialect.Parser parser = dialect.newParser();
            Inbound tagged = parser.parse(Line.of("@msgid=42;time=2026-11-24T23:59:01.123Z MSG #r1 alice :t=12;x: y"));
            assertThat(tagged.kind()).isEqualTo(Kind.DELIVERY);
            assertThat(tagged.sentNanos()).isEqualTo(12);
            Inbound untagged = parser.parse(Line.of("MSG #r1 alice :t=345;x"));
            assertThat(untagged.kind()).isEqualTo(Kind.DELIVERY);
            assertThat(untagged.sentNanos()).isEqualTo(345);
            assertThat(parser.parse(Line.of("MSG #r1 alice :hi")).sentNanos()).isEqualTo(-1);
        }
    }

    @Nested
    @DisplayName("NATS")
    class Nats {
        private final Dialect dialect = Target.NATS.dialect();

        @Test
        @DisplayName("CONNECT asks for +OK only from publishers, never echoes, and is confirmed by PING")
        void connect() {
            assertThat(dialect.register("p", true)).startsWith("CONNECT {\"verbose\":true,")
                    .contains("\"echo\":false").endsWith("}\r\nPING\r\n");
            assertThat(dialect.register("s", false)).startsWith("CONNECT {\"verbose\":false,");
            assertThat(dialect.join("r1")).isEqualTo("SUB r1 1\r\nPING\r\n");
        }

        @Test
        @DisplayName("PUB announces the payload's byte count")
        void pub() {
            assertThat(dialect.publish("r1", "héllo")).isEqualTo("PUB r1 6\r\nhéllo\r\n");
        }

        @Test
        @DisplayName("a publisher's session: +OK before its second PONG is setup, after it an ack")
        void publisherSession() {
            Dialect.Parser p = dialect.newParser();
            assertThat(p.parse(Line.of("INFO {\"server_id\":\"x\"}")).kind()).isEqualTo(Kind.OTHER);
            assertThat(p.parse(Line.of("+OK")).kind()).isEqualTo(Kind.OTHER);       // CONNECT
            assertThat(p.parse(Line.of("PONG")).kind()).isEqualTo(Kind.REGISTERED);
            assertThat(p.parse(Line.of("+OK")).kind()).isEqualTo(Kind.OTHER);       // SUB
            assertThat(p.parse(Line.of("PONG")).kind()).isEqualTo(Kind.JOINED);
            assertThat(p.parse(Line.of("+OK")).kind()).isEqualTo(Kind.ACK);         // PUB
        }

        @Test
        @DisplayName("MSG is a header: the next line is the delivered payload")
        void msg() {
            Dialect.Parser p = dialect.newParser();
            assertThat(p.parse(Line.of("MSG r1 1 8")).kind()).isEqualTo(Kind.OTHER);
            Inbound payload = p.parse(Line.of("MSG r1 1"));
            assertThat(payload.kind()).isEqualTo(Kind.DELIVERY);
            assertThat(payload.sentNanos()).isEqualTo(-1);
            assertThat(p.parse(Line.of("MSG r1 1 6")).kind()).isEqualTo(Kind.OTHER);
            assertThat(p.parse(Line.of("t=77;x")).sentNanos()).isEqualTo(77);
        }

        @Test
        @DisplayName("a server PING is answered PONG; -ERR is an error")
        void pingAndErrors() {
            Dialect.Parser p = dialect.newParser();
            assertThat(p.parse(Line.of("PING"))).isEqualTo(Inbound.answer("PONG\r\n"));
            assertThat(p.parse(Line.of("-ERR 'Slow Consumer'")).kind()).isEqualTo(Kind.ERROR);
        }
    }

    @Nested
    @DisplayName("IRC")
    class Irc {
        private final Dialect dialect = Target.IRC.dialect();

        @Test
        @DisplayName("registers with NICK and USER; each PRIVMSG is followed by the PING that acknowledges it")
        void builds() {
            assertThat(dialect.register("b1", false)).isEqualTo("NICK b1\r\nUSER b1 0 * :b1\r\n");
            assertThat(dialect.join("r1")).isEqualTo("JOIN #r1\r\n");
            assertThat(dialect.publish("r1", "t=1;x")).isEqualTo("PRIVMSG #r1 :t=1;x\r\nPING :a\r\n");
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', value = {
                ":bench.irc 001 b1 :Welcome to the Internet Relay Network b1!~b1@localhost | REGISTERED",
                ":b1!~b1@localhost JOIN :#r1                                              | OTHER",
                ":bench.irc 366 b1 #r1 :End of NAMES list                                 | JOINED",
                ":bench.irc PONG bench.irc :a                                             | ACK",
                ":bench.irc 433 * b1 :Nickname already in use                             | ERROR",
                ":bench.irc 405 b1 #r9 :You have joined too many channels                 | ERROR",
                "ERROR :Closing connection                                                | ERROR",
                ":bench.irc NOTICE * :*** Looking up your hostname                        | OTHER",
        })
        void classifies(String line, Kind kind) {
            assertThat(dialect.newParser().parse(Line.of(line.strip())).kind()).isEqualTo(kind);
        }

        @Test
        @DisplayName("PRIVMSG is a delivery sent when its text says; a server PING is answered with its token")
        void deliveryAndPing() {
            Dialect.Parser p = dialect.newParser();
            Inbound delivery = p.parse(Line.of(":b2!~b2@localhost PRIVMSG #r1 :t=9;a :b"));
            assertThat(delivery.kind()).isEqualTo(Kind.DELIVERY);
            assertThat(delivery.sentNanos()).isEqualTo(9);
            assertThat(p.parse(Line.of("PING :bench.irc"))).isEqualTo(Inbound.answer("PONG :bench.irc\r\n"));
        }
    }

    @Test
    @DisplayName("a target is named in any case; an unknown one says which exist")
    void targets() {
        assertThat(Target.parse(" NATS ")).isEqualTo(Target.NATS);
        assertThatThrownBy(() -> Target.parse("redis")).hasMessageContaining("parley, nats or irc");
    }
}
