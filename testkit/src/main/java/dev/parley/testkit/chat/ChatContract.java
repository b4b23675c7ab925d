package dev.parley.testkit.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testkit.Answer;
import dev.parley.testkit.LineClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the chat plugin does alike on a single server and on a cluster, as JUnit tests over loopback sockets: a
 * deployment's test class implements this interface with {@link #connect}, and each behaviour is checked with
 * its users spread over the deployment's servers (user {@code i} on server {@code i}, counted round), so on a
 * cluster every event crosses servers. Rooms, nicks and topics live behind one interface in the chat, with one
 * implementation for each; these tests are what both must share.
 *
 * <p>The deployment runs the chat, auth and heartbeat plugins, with {@link #operator()} a server operator's
 * account; it may serve every test of the class (each uses nicks and rooms of its own).
 */
public interface ChatContract {

    /** A new connection to the deployment's server {@code server}, counted round (a single server: always it). */
    LineClient connect(int server) throws IOException;

    /** The name of an account the deployment makes a server operator. */
    String operator();

    /** That account's password. */
    String operatorPassword();

    // ---- nicks ----

    @Test
    @DisplayName("a nick is held once across the servers, case and lookalikes included, until its holder lets it go")
    default void nickHeldOnce() throws IOException {
        String nick = unique("alice");
        String lookalike = "\u0430" + nick.substring(1); // Cyrillic a
        try (LineClient alice = user(0, nick);
             LineClient other = connect(1);
             LineClient third = connect(2)) {
            assertThat(other.command("NICK " + nick.toUpperCase()).reply()).startsWith("ERR NICK NICK_IN_USE");
            assertThat(third.command("NICK " + lookalike).reply()).startsWith("ERR NICK NICK_IN_USE")
                    .contains("looks like " + nick);
            assertThat(alice.command("NICK " + nick + "x").reply()).startsWith("OK NICK " + nick + "x");
            assertThat(other.command("NICK " + nick).reply()).startsWith("OK NICK " + nick);
            assertThat(third.command("NICK " + nick.toUpperCase() + "X").reply()).startsWith("ERR NICK NICK_IN_USE");
        }
    }

    @Test
    @DisplayName("RENAMED reaches a roommate on another server, and WHO shows the new nick in the old place")
    default void renameReachesRoommates() throws IOException {
        String room = "#" + unique("rename");
        String alice = unique("alice");
        String bob = unique("bob");
        try (LineClient a = user(0, alice); LineClient b = user(1, bob)) {
            join(a, room);
            join(b, room);
            assertThat(event(a)).isEqualTo("JOINED " + room + " " + bob);
            assertThat(b.command("NICK " + bob + "2").reply()).startsWith("OK NICK " + bob + "2");
            assertThat(event(a)).isEqualTo("RENAMED " + bob + " " + bob + "2");
            assertThat(a.command("WHO " + room).lines())
                    .containsExactly("MEMBER " + room + " " + alice, "MEMBER " + room + " " + bob + "2");
        }
    }

    // ---- rooms ----

    @Test
    @DisplayName("JOIN, WHO, ROOMS and PART: every server shows the room alike, as its creator spelt it, in join order")
    default void joinWhoRoomsPart() throws IOException {
        String room = "#" + unique("Mixed");
        String folded = room.toLowerCase();
        String alice = unique("alice");
        String bob = unique("bob");
        try (LineClient a = user(0, alice); LineClient b = user(1, bob); LineClient c = user(2, unique("carol"))) {
            assertThat(a.command("JOIN " + room).reply()).isEqualTo("OK JOIN " + room);
            assertThat(b.command("JOIN " + folded).reply()).isEqualTo("OK JOIN " + room);
            assertThat(event(a)).isEqualTo("JOINED " + room + " " + bob);

            Answer who = c.command("WHO " + folded);
            assertThat(who.lines()).containsExactly("MEMBER " + room + " " + alice, "MEMBER " + room + " " + bob);
            assertThat(who.reply()).isEqualTo("OK WHO " + room + " 2");
            assertThat(c.command("ROOMS").lines()).contains("ROOM " + room + " 2");

            assertThat(b.command("PART " + room + " :bye now").reply()).isEqualTo("OK PART " + room);
            assertThat(event(a)).isEqualTo("LEFT " + room + " " + bob + " :bye now");
            assertThat(c.command("WHO " + room).reply()).isEqualTo("OK WHO " + room + " 1");
            assertThat(b.command("PART " + room).reply()).startsWith("ERR PART NOT_IN_ROOM");
            assertThat(b.command("SAY " + room + " :hello?").reply()).startsWith("ERR SAY NOT_IN_ROOM");

            assertThat(a.command("PART " + room).reply()).isEqualTo("OK PART " + room);
            assertThat(c.command("WHO " + room).reply()).startsWith("ERR WHO NO_SUCH_ROOM");
            assertThat(c.command("ROOMS").lines()).noneMatch(line -> line.startsWith("ROOM " + room + " "));
        }
    }

    @Test
    @DisplayName("a session that ends leaves its rooms with LEFT and its reason, and its nick is free everywhere")
    default void sessionEnd() throws IOException {
        String room = "#" + unique("quit");
        String bob = unique("bob");
        try (LineClient a = user(0, unique("alice")); LineClient b = user(1, bob); LineClient c = connect(2)) {
            join(a, room);
            join(b, room);
            assertThat(event(a)).isEqualTo("JOINED " + room + " " + bob);
            assertThat(b.command("QUIT :gone fishing").reply()).isEqualTo("OK QUIT");
            assertThat(event(a)).isEqualTo("LEFT " + room + " " + bob + " :gone fishing");
            assertThat(c.command("NICK " + bob).reply()).startsWith("OK NICK " + bob);
        }
    }

    @Test
    @DisplayName("SAY reaches every member but the sender, each message once, in one msgid order for everyone")
    default void sayOrder() throws IOException {
        String room = "#" + unique("say");
        List<String> nicks = List.of(unique("alice"), unique("bob"), unique("carol"));
        List<LineClient> users = new ArrayList<>();
        try {
            for (int i = 0; i < nicks.size(); i++) {
                users.add(user(i, nicks.get(i)));
                join(users.get(i), room);
            }
            for (int i = 0; i < nicks.size(); i++) {
                for (int joined = i + 1; joined < nicks.size(); joined++) {
                    assertThat(event(users.get(i))).isEqualTo("JOINED " + room + " " + nicks.get(joined));
                }
            }
            // The sender's own message would come before the next one; the first event each sees is the other's.
            assertThat(users.get(0).send("SAY " + room + " :first").reply()).isEqualTo("OK SAY " + room);
            assertThat(users.get(1).send("SAY " + room + " :second").reply()).isEqualTo("OK SAY " + room);
            assertThat(untagged(event(users.get(0)))).isEqualTo("MSG " + room + " " + nicks.get(1) + " :second");
            assertThat(untagged(event(users.get(1)))).isEqualTo("MSG " + room + " " + nicks.get(0) + " :first");
            assertThat(untagged(event(users.get(2)))).isEqualTo("MSG " + room + " " + nicks.get(0) + " :first");
            assertThat(untagged(event(users.get(2)))).isEqualTo("MSG " + room + " " + nicks.get(1) + " :second");

            int each = 10;
            for (int n = 0; n < each; n++) {
                for (LineClient u : users) {
                    u.send("SAY " + room + " :m" + n);
                }
            }
            Map<Long, String> seenFirst = null;
            for (int i = 0; i < users.size(); i++) {
                String nick = nicks.get(i);
                Map<Long, String> seen = messages(users.get(i), each, (users.size() - 1) * each);
                assertThat(new ArrayList<>(seen.keySet())).as("msgids %s got, in order", nick).isSorted();
                assertThat(seen.values()).as("what %s got", nick).noneMatch(line -> line.startsWith(nick + " "));
                if (seenFirst == null) {
                    seenFirst = seen;
                } else {
                    // The same msgid is the same message for everyone who got it.
                    for (Map.Entry<Long, String> m : seen.entrySet()) {
                        if (seenFirst.containsKey(m.getKey())) {
                            assertThat(seenFirst.get(m.getKey())).isEqualTo(m.getValue());
                        }
                    }
                }
            }
        } finally {
            users.forEach(LineClient::close);
        }
    }

    @Test
    @DisplayName("HISTORY gives a member the room's last messages exactly as they were delivered, msgid and time included")
    default void history() throws IOException {
        String room = "#" + unique("history");
        String alice = unique("alice");
        String bob = unique("bob");
        try (LineClient a = user(0, alice); LineClient b = user(1, bob)) {
            join(a, room);
            join(b, room);
            assertThat(event(a)).isEqualTo("JOINED " + room + " " + bob);
            List<String> delivered = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                assertThat(a.send("SAY " + room + " :h" + i).reply()).isEqualTo("OK SAY " + room);
                delivered.add(event(b));
            }
            Answer page = b.command("HISTORY " + room + " 3");
            assertThat(page.reply()).isEqualTo("OK HISTORY " + room + " 3");
            assertThat(page.lines().stream().map(ChatContract::withoutSeq).toList())
                    .containsExactlyElementsOf(delivered.subList(1, 4));
            assertThat(untagged(delivered.get(3))).isEqualTo("MSG " + room + " " + alice + " :h3");
        }
    }

    @Test
    @DisplayName("TOPIC is set by a member, told to the others, and shown to anyone on any server; a bare : clears it")
    default void topic() throws IOException {
        String room = "#" + unique("topic");
        String alice = unique("alice");
        String bob = unique("bob");
        try (LineClient a = user(0, alice); LineClient b = user(1, bob); LineClient c = user(2, unique("carol"))) {
            join(a, room);
            join(b, room);
            assertThat(event(a)).isEqualTo("JOINED " + room + " " + bob);
            assertThat(b.command("TOPIC " + room + " :plans for the weekend").reply()).isEqualTo("OK TOPIC " + room);
            assertThat(event(a)).isEqualTo("TOPIC " + room + " " + bob + " :plans for the weekend");
            assertThat(c.command("TOPIC " + room).reply()).isEqualTo("OK TOPIC " + room + " :plans for the weekend");
            assertThat(c.command("ROOMS").lines()).contains("ROOM " + room + " 2 :plans for the weekend");
            assertThat(c.command("TOPIC " + room + " :not mine").reply()).startsWith("ERR TOPIC NOT_IN_ROOM");

            assertThat(a.command("TOPIC " + room + " :").reply()).isEqualTo("OK TOPIC " + room);
            assertThat(event(b)).startsWith("TOPIC " + room + " " + alice);
            assertThat(c.command("TOPIC " + room).reply()).isEqualTo("OK TOPIC " + room);
            assertThat(c.command("TOPIC #" + unique("nowhere")).reply()).startsWith("ERR TOPIC NO_SUCH_ROOM");
        }
    }

    @Test
    @DisplayName("KICK by a server operator removes a member wherever it is connected; everyone in the room sees KICKED")
    default void kick() throws IOException {
        String room = "#" + unique("kick");
        String alice = unique("alice");
        String bob = unique("bob");
        String op = unique("op");
        try (LineClient o = connect(0); LineClient a = user(1, alice); LineClient b = user(2, bob)) {
            assertThat(o.command("AUTH " + operator() + " :" + operatorPassword()).reply())
                    .isEqualTo("OK AUTH " + operator());
            assertThat(o.command("NICK " + op).reply()).startsWith("OK NICK " + op);
            join(a, room);
            join(b, room);
            assertThat(event(a)).isEqualTo("JOINED " + room + " " + bob);

            assertThat(o.command("KICK " + room + " " + bob.toUpperCase() + " :spam").reply())
                    .isEqualTo("OK KICK " + room + " " + bob);
            assertThat(event(b)).isEqualTo("KICKED " + room + " " + bob + " " + op + " :spam");
            assertThat(event(a)).isEqualTo("KICKED " + room + " " + bob + " " + op + " :spam");
            assertThat(a.command("WHO " + room).lines()).containsExactly("MEMBER " + room + " " + alice);
            assertThat(b.command("SAY " + room + " :still here?").reply()).startsWith("ERR SAY NOT_IN_ROOM");
            assertThat(o.command("KICK " + room + " " + unique("nobody")).reply()).startsWith("ERR KICK NOT_IN_ROOM");
            assertThat(o.command("KICK #" + unique("nowhere") + " " + alice).reply())
                    .startsWith("ERR KICK NO_SUCH_ROOM");
            assertThat(a.command("KICK " + room + " " + alice).reply()).startsWith("ERR KICK NOT_PERMITTED");
        }
    }

    // ---- whispers ----

    @Test
    @DisplayName("TELL reaches the nick on whichever server holds it, named as its holder shows it; nobody is NO_SUCH_NICK")
    default void tell() throws IOException {
        String alice = unique("alice");
        String bob = unique("Bob");
        try (LineClient a = user(0, alice); LineClient b = user(1, bob); LineClient c = connect(2)) {
            assertThat(a.command("TELL " + bob.toLowerCase() + " :psst").reply()).isEqualTo("OK TELL " + bob);
            assertThat(event(b)).isEqualTo("WHISPER " + alice + " :psst");
            assertThat(b.command("TELL " + alice + " :hi").reply()).isEqualTo("OK TELL " + alice);
            assertThat(event(a)).isEqualTo("WHISPER " + bob + " :hi");
            assertThat(a.command("TELL " + unique("nobody") + " :hello?").reply()).startsWith("ERR TELL NO_SUCH_NICK");
            assertThat(c.command("TELL " + alice + " :who am i").reply()).startsWith("ERR TELL NOT_REGISTERED");
        }
    }

    // ---- helpers ----

    /** A name no other test of this JVM uses: {@code base} and a number. */
    static String unique(String base) {
        return base + "_" + Names.NEXT.incrementAndGet();
    }

    /** A client on the server registered under the nick. */
    default LineClient user(int server, String nick) throws IOException {
        LineClient c = connect(server);
        assertThat(c.command("NICK " + nick).reply()).startsWith("OK NICK " + nick);
        return c;
    }

    /** Joins; events arriving meanwhile stay for {@link #event} (a command's answer would take them). */
    private static void join(LineClient c, String room) {
        assertThat(c.send("JOIN " + room).reply()).isEqualTo("OK JOIN " + room);
    }

    /** The next event without the heartbeat plugin's {@code seq} tag, which says nothing about the chat. */
    static String event(LineClient c) {
        return withoutSeq(c.event());
    }

    /** The line without the heartbeat plugin's {@code seq} tag, wherever it stands among the tags. */
    static String withoutSeq(String line) {
        return line.replaceFirst("^@seq=\\d+ ", "").replaceFirst("^@seq=\\d+;", "@").replaceFirst(";seq=\\d+", "");
    }

    /** The line without its tags ({@code msgid}, {@code time}, {@code seq}). */
    static String untagged(String line) {
        return line.startsWith("@") ? line.substring(line.indexOf(' ') + 1) : line;
    }

    /**
     * Reads the replies to the client's pipelined SAYs and the room messages it receives meanwhile, in arrival
     * order: msgid to {@code "<nick> :<text>"}.
     */
    private static Map<Long, String> messages(LineClient c, int replies, int messages) {
        Map<Long, String> seen = new LinkedHashMap<>();
        int ok = 0;
        while (ok < replies || seen.size() < messages) {
            String line = withoutSeq(c.next());
            if (line.startsWith("OK SAY ")) {
                ok++;
                continue;
            }
            Matcher m = MSG.matcher(line);
            assertThat(m.matches()).as("a room message: %s", line).isTrue();
            assertThat(seen.put(Long.parseLong(m.group(1)), m.group(2))).as("msgid %s twice", m.group(1)).isNull();
        }
        return seen;
    }

    /** A room message: its msgid, and its sender and text. */
    Pattern MSG = Pattern.compile("@(?:\\S*;)?msgid=(\\d+)(?:;\\S*)? MSG #\\S+ (.*)");

    /** The counter behind {@link #unique}. */
    final class Names {
        /** Starts anywhere, so that deployments kept between test classes see fresh names. */
        static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(1_000_000));

        private Names() {
        }
    }
}
