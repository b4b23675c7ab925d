package dev.parley.launcher.client.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    @DisplayName("shows bytes, rate and time left")
    void line() {
        AtomicLong now = new AtomicLong();
        StringWriter out = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(out), now::get);
        bar.start("big.iso", 4L << 20, 0);
        now.set(1_000_000_000L);
        bar.advance(1L << 20);
        assertThat(bar.line(now.get()))
                .isEqualTo("big.iso [######..................]  25%  1.0 MiB/4.0 MiB  1.0 MiB/s  ETA 0:03");
        assertThat(out.toString()).startsWith("\rbig.iso [").contains("\u001b[K");
    }

    @Test
    @DisplayName("redraws at most five times a second")
    void throttled() {
        AtomicLong now = new AtomicLong();
        StringWriter out = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(out), now::get);
        bar.start("f", 100, 0);
        for (int i = 0; i < 50; i++) {
            bar.advance(1);
        }
        assertThat(out.toString().chars().filter(c -> c == '\r').count()).isEqualTo(1);
    }
}
