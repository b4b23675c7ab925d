package dev.parley.chat.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.Ref;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("HISTORY's page arguments")
class HistoryQueryTest {
    private static Page page(String args) {
        HistoryQuery.Parsed parsed = HistoryQuery.parse(args.isEmpty() ? List.of() : Arrays.asList(args.split(" ")), 100);
        assertThat(parsed.error()).as(args).isNull();
        return parsed.page();
    }

    @Test
    @DisplayName("nothing or a count is LATEST; n is capped by the page size")
    void latest() {
        assertThat(page("")).isEqualTo(Page.latest(100));
        assertThat(page("7")).isEqualTo(Page.latest(7));
        assertThat(page("latest 5000")).isEqualTo(Page.latest(100));
    }

    @Test
    @DisplayName("directions take msgids and RFC 3339 UTC times, case-insensitively")
    void directions() {
        assertThat(page("BEFORE 120 50")).isEqualTo(Page.before(new Ref.MsgId(120), 50));
        assertThat(page("after 2026-12-07T10:00:00Z")).isEqualTo(
                Page.after(new Ref.At(Instant.parse("2026-12-07T10:00:00Z")), 100));
        assertThat(page("Around 5 3")).isEqualTo(Page.around(new Ref.MsgId(5), 3));
        assertThat(page("BETWEEN 2026-12-07T10:00:00.250Z 9")).isEqualTo(Page.between(
                new Ref.At(Instant.parse("2026-12-07T10:00:00.250Z")), new Ref.MsgId(9), 100));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {"0", "-1", "x", "LATEST 0", "BEFORE", "BEFORE 0", "BEFORE x", "AFTER 1 2 3",
            "BETWEEN 1", "BETWEEN 1 x", "BEFORE 2026-12-07T10:00:00", "BEFORE 2026-12-07T10:00:00+02:00",
            "BEFORE 2026-02-30T10:00:00Z", "BEFORE 1234567890123456789012", "SIDEWAYS 3", "1 2"})
    void malformed(String args) {
        assertThat(HistoryQuery.parse(Arrays.asList(args.split(" ")), 100).error()).isNotNull();
    }
}
