package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.ClosedSelectorException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mina.util.ExceptionMonitor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QuietDisposalTest {

    @Test
    @DisplayName("a client's disposal race (ClosedSelectorException) is not reported; every other exception is")
    void dropsOnlyTheDisposalRace() {
        ExceptionMonitor before = ExceptionMonitor.getInstance();
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        try {
            ExceptionMonitor.setInstance(new ExceptionMonitor() {
                @Override
                public void exceptionCaught(Throwable cause) {
                    reported.add(cause);
                }
            });
            MinaClient.quietDisposal();
            MinaClient.quietDisposal(); // once is enough: no second wrapper
            ExceptionMonitor.getInstance().exceptionCaught(new ClosedSelectorException());
            IllegalStateException bug = new IllegalStateException("a handler's bug");
            ExceptionMonitor.getInstance().exceptionCaught(bug);
            assertThat(reported).containsExactly(bug);
        } finally {
            ExceptionMonitor.setInstance(before);
        }
    }
}
