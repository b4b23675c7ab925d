package dev.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.bench.wire.Target;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArgumentsTest {

    @Nested
    @DisplayName("Paced publishers")
    class Pacing {
        @Test
        @DisplayName("first send at evenly spread instants of one interval, so no second starts with a burst")
        void spread() {
            long second = 1_000_000_000L;
            assertThat(List.of(0L, 1L, 2L, 3L).stream().map(i -> ChatScenario.firstDue(500, second, i, 4, false)).toList())
                    .containsExactly(500L, 500 + second / 4, 500 + second / 2, 500 + 3 * second / 4);
        }

        @Test
        @DisplayName("all at the start in step, and when unpaced")
        void inStep() {
            assertThat(ChatScenario.firstDue(500, 1_000_000_000L, 3, 4, true)).isEqualTo(500);
            assertThat(ChatScenario.firstDue(500, 0, 3, 4, false)).isEqualTo(500);
        }
    }

    @Nested
    @DisplayName("Placement")
    class Placements {
        @Test
        @DisplayName("spreads members over the servers in turn, and puts every publisher on its own server when given")
        void inTurn() {
            Placement placement = new Placement(List.of(7101, 7102, 7103), 0);
            assertThat(List.of(placement.portOf(0, false), placement.portOf(1, true), placement.portOf(2, false),
                    placement.portOf(3, false))).containsExactly(7101, 7102, 7103, 7101);
            Placement split = new Placement(List.of(7101), 7102);
            assertThat(List.of(split.portOf(0, true), split.portOf(1, false), split.portOf(2, true)))
                    .containsExactly(7102, 7101, 7102);
            assertThat(split.spread()).isTrue();
            assertThat(split.servers()).isEqualTo(2);
            assertThat(placement.servers()).isEqualTo(3);
            assertThat(new Placement(List.of(7101), 0).spread()).isFalse();
        }

        @Test
        @DisplayName("refuses impossible ports")
        void ports() {
            assertThatThrownBy(() -> new Placement(List.of(7101), 70000)).hasMessageContaining("port");
            assertThatThrownBy(() -> new Placement(List.of(), 0)).hasMessageContaining("port");
        }
    }

    @Nested
    @DisplayName("Endpoint")
    class Endpoints {
        @ParameterizedTest
        @ValueSource(strings = {"127.0.0.1", "127.3.4.5", "localhost", "::1"})
        @DisplayName("accepts loopback addresses")
        void loopback(String host) {
            assertThatCode(() -> new Endpoint(Target.PARLEY, host, 7878)).doesNotThrowAnyException();
        }

        @ParameterizedTest
        @ValueSource(strings = {"10.0.0.1", "192.168.1.1", "8.8.8.8", "0.0.0.0"})
        @DisplayName("refuses anything that is not loopback")
        void notLoopback(String host) {
            assertThatThrownBy(() -> new Endpoint(Target.PARLEY, host, 7878)).hasMessageContaining("loopback");
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1, 65536})
        @DisplayName("refuses impossible ports")
        void ports(int port) {
            assertThatThrownBy(() -> new Endpoint(Target.NATS, "127.0.0.1", port)).hasMessageContaining("port");
        }
    }

    @Nested
    @DisplayName("ChatPlan")
    class Plans {
        @Test
        @DisplayName("the targets' shapes are valid; connections are rooms times members")
        void valid() {
            assertThat(new ChatPlan(1, 100, 4, 100, 16, 0).connections()).isEqualTo(100);
            assertThat(new ChatPlan(50, 20, 20, 100, 16, 0).connections()).isEqualTo(1000);
        }

        @ParameterizedTest(name = "rooms={0} members={1} publishers={2} bytes={3} window={4} rate={5}")
        @CsvSource({
                "0, 10, 1, 100, 16, 0",
                "1, 1, 1, 100, 16, 0",
                "1, 10, 0, 100, 16, 0",
                "1, 10, 11, 100, 16, 0",
                "1, 10, 1, 10, 16, 0",
                "1, 10, 1, 5000, 16, 0",
                "1, 10, 1, 100, 0, 0",
                "1, 10, 1, 100, 16, -1",
                "100, 1000, 1, 100, 16, 0",
        })
        @DisplayName("refuses shapes that cannot run")
        void invalid(int rooms, int members, int publishers, int bytes, int window, double rate) {
            assertThatThrownBy(() -> new ChatPlan(rooms, members, publishers, bytes, window, rate))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    @DisplayName("Timing")
    class Timings {
        @Test
        @DisplayName("a run must end by itself: no zero duration, nothing above ten minutes")
        void bounded() {
            assertThatCode(() -> new Timing(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                    .doesNotThrowAnyException();
            assertThatThrownBy(() -> new Timing(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1)))
                    .hasMessageContaining("duration");
            assertThatThrownBy(() -> new Timing(Duration.ofMinutes(11), Duration.ofSeconds(1), Duration.ofSeconds(1)))
                    .hasMessageContaining("warm-up");
            assertThatThrownBy(() -> new Timing(Duration.ZERO, Duration.ofSeconds(1), Duration.ofHours(1)))
                    .hasMessageContaining("setup");
        }
    }

    @Nested
    @DisplayName("other scenarios")
    class Others {
        private final Endpoint parley = new Endpoint(Target.PARLEY, "127.0.0.1", 7878);

        @Test
        @DisplayName("file transfer is Parley's only, within the payload limit")
        void file() {
            assertThatThrownBy(() -> new FileScenario(new Endpoint(Target.NATS, "127.0.0.1", 4222), 1, 0, 1, 1, false, System.out))
                    .hasMessageContaining("Parley");
            assertThatThrownBy(() -> new FileScenario(parley, 1, 0, (1 << 20) + 1, 1, false, System.out))
                    .hasMessageContaining("chunk");
            assertThatThrownBy(() -> new FileScenario(parley, 0, 0, 1024, 1, false, System.out))
                    .hasMessageContaining("size");
            assertThatThrownBy(() -> new FileScenario(parley, 1, -1, 1024, 1, false, System.out))
                    .hasMessageContaining("warm-up");
        }

        @Test
        @DisplayName("idle needs a sane count and a pid that exists")
        void idle() {
            assertThatThrownBy(() -> new IdleScenario(parley, 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), 1, System.out))
                    .hasMessageContaining("connections");
            assertThatThrownBy(() -> new IdleScenario(parley, 10, Long.MAX_VALUE, Duration.ofSeconds(1), Duration.ofSeconds(1), 1, System.out))
                    .hasMessageContaining("/proc");
        }

        @Test
        @DisplayName("VmRSS is read in KiB from a process status")
        void rss() {
            assertThat(IdleScenario.parseRssKib(List.of("Name:\tjava", "VmPeak:\t 9 kB", "VmRSS:\t   123456 kB"))).isEqualTo(123456);
            assertThatThrownBy(() -> IdleScenario.parseRssKib(List.of("Name:\tjava"))).hasMessageContaining("VmRSS");
        }

        @Test
        @DisplayName("startup needs a command")
        void startup() {
            assertThatThrownBy(() -> new StartupScenario(List.of(), parley, Duration.ofSeconds(5))).hasMessageContaining("command");
        }

        @Test
        @DisplayName("the file's SHA-256 is that of the block repeated, the last one cut")
        void sha() throws Exception {
            byte[] block = {1, 2, 3};
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            d.update(new byte[] {1, 2, 3, 1, 2, 3, 1});
            assertThat(FileScenario.sha256(block, 7)).isEqualTo(java.util.HexFormat.of().formatHex(d.digest()));
        }
    }
}
