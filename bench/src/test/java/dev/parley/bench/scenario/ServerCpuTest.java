package dev.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ServerCpu")
class ServerCpuTest {

    @Test
    @DisplayName("adds utime and stime, in ticks of 10 ms, even when the command name holds spaces and parentheses")
    void parsesStat() {
        // A real line of a JVM's /proc/PID/stat (comm "java"), and the same numbers behind a name like "a) b".
        String java = "3069 (java) S 1 3069 3069 0 -1 4194560 152213 0 4 0 1234 567 0 0 20 0 41 0 1780 "
                + "4153597952 60310 18446744073709551615 1 1 0 0 0 0 0 4096 17102 0 0 0 17 1 0 0 0 0 0";
        String odd = java.replace("(java)", "(a) b)");

        assertThat(ServerCpu.parseNanos(java)).isEqualTo((1234 + 567) * 10_000_000L);
        assertThat(ServerCpu.parseNanos(odd)).isEqualTo((1234 + 567) * 10_000_000L);
    }

    @Test
    @DisplayName("grows while this very process works, and names the pid when there is no such process")
    void readsALiveProcess() throws Exception {
        long pid = ProcessHandle.current().pid();
        long before = ServerCpu.nanos(pid);
        long spin = System.nanoTime() + 300_000_000L;
        long sink = 0;
        while (System.nanoTime() < spin) {
            sink += sink * 31 + 7;
        }
        assertThat(ServerCpu.nanos(pid)).as("after 0.3 s of spinning (sink %d)", sink).isGreaterThan(before);

        assertThatThrownBy(() -> ServerCpu.nanos(Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/proc/" + Long.MAX_VALUE + "/stat");
    }
}
