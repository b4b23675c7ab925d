package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Session;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The pieces unit tests use to call a plugin directly: TestRequest, and TestDirectory on its own. */
class WithoutServerTest {
    @AutoClose
    private final ParleyTestKit kit = ParleyTestKit.start(new ProbePlugin());

    @Test
    @DisplayName("a handler called with a TestRequest sees the session and frame, and its data lines arrive in order")
    void request() throws Exception {
        Session session = kit.session(kit.connect());
        Command list = new ProbePlugin().commands().stream().filter(c -> c.verb().equals("LIST")).findFirst().orElseThrow();
        List<Frame> data = new ArrayList<>();
        TestRequest request = new TestRequest(session, Frame.of("LIST").param("x").build(), data::add);
        Reply reply = list.handler().handle(request).toCompletableFuture().join();
        assertThat(reply.isOk()).isTrue();
        assertThat(data).extracting(Frame::toString).containsExactly("ITEM a", "ITEM b");
        assertThat(request.session()).isSameAs(session);
        assertThat(request.argument(0)).isEqualTo("x");
        assertThatThrownBy(() -> new TestRequest(session, null, data::add)).isInstanceOf(NullPointerException.class);
    }

    @Test
    @DisplayName("TestDirectory.forget drops the session's name and rooms; an emptied room goes")
    void forget() {
        TestDirectory directory = new TestDirectory();
        Session alice = kit.session(kit.connect());
        Session bob = kit.session(kit.connect());
        directory.register(alice, "Alice");
        directory.register(bob, "bob");
        directory.join("#a", alice, bob);
        directory.join("#b", alice);
        directory.forget(alice);
        assertThat(directory.session("alice")).isEmpty();
        assertThat(directory.session("BOB")).contains(bob);
        assertThat(directory.members("#a")).contains(List.of(bob));
        assertThat(directory.members("#b")).isEmpty();
        assertThat(directory.isMember("#a", alice)).isFalse();
    }
}
