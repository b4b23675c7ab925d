package dev.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ServerHeap")
class ServerHeapTest {

    @Test
    @DisplayName("adds the used columns of jstat -gc (survivors, eden, old), not capacities or metaspace")
    void parsesJstat() {
        String header = "    S0C         S1C         S0U         S1U          EC           EU           OC"
                + "           OU          MC         MU       CCSC      CCSU     YGC     YGCT     FGC    FGCT"
                + "     CGC    CGCT       GCT";
        String values = "        0.0      4096.0         0.0      4096.0      36864.0       2048.0      90112.0"
                + "       51200.5     20480.0    19000.0    2304.0    2100.0      12     0.050     0      0.000"
                + "       4     0.002     0.052";
        assertThat(ServerHeap.parseUsedKib(header, values)).isEqualTo(4096 + 2048 + 51200);
    }

    @Test
    @DisplayName("reads this JVM's own live heap through jcmd and jstat")
    void readsALiveJvm() {
        assertThat(ServerHeap.usedBytes(ProcessHandle.current().pid())).isPositive();
    }
}
