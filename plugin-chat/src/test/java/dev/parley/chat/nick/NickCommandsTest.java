package dev.parley.chat.nick;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.chat.ChatHarness;
import dev.parley.chat.ChatHarness.Client;
import dev.parley.chat.ChatHarness.Result;
import dev.parley.chat.protocol.ChatErrors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NickCommandsTest {
    private final ChatHarness chat = new ChatHarness();

    @Nested
    @DisplayName("NICK")
    class Nick {
        @Test
        @DisplayName("works before registration, answers OK NICK <nick> and registers the session")
        void registers() {
            Client alice = chat.connect();
            assertThat(alice.send("NICK alice").line()).isEqualTo("OK NICK alice");
            assertThat(alice.session().name()).contains("alice");
        }

        @Test
        @DisplayName("appends a fresh resume token when a plugin provides resumption, on every successful NICK")
        void resumeToken() {
            java.util.concurrent.atomic.AtomicInteger issued = new java.util.concurrent.atomic.AtomicInteger();
            chat.provide(dev.parley.core.spi.Resumption.class, session -> "tok" + issued.incrementAndGet());
            Client alice = chat.connect();
            assertThat(alice.send("NICK alice").line()).isEqualTo("OK NICK alice tok1");
            assertThat(alice.send("NICK alicia").line()).isEqualTo("OK NICK alicia tok2");
            assertThat(chat.connect().send("NICK alicia").line()).startsWith("ERR NICK NICK_IN_USE");
            assertThat(issued).hasValue(2);
        }

        @Test
        @DisplayName("carries the command's id tag on the reply")
        void idTag() {
            assertThat(chat.connect().send("@id=7 NICK alice").line()).isEqualTo("@id=7 OK NICK alice");
        }

        @ParameterizedTest(name = "rejects \"{0}\" with BAD_NAME and a sentence giving the accepted form")
        @ValueSource(strings = {"NICK #alice", "NICK al!ce", "NICK abcdefghijklmnopqrstuvwxyz0123456", "NICK :"})
        void badName(String line) {
            Result r = chat.connect().send(line);
            assertThat(r.error()).isEqualTo(ChatErrors.BAD_NAME);
            assertThat(r.line()).contains("letters, digits, '_', '-' or '.'");
        }

        @ParameterizedTest(name = "answers BAD_ARGUMENT to \"{0}\"")
        @ValueSource(strings = {"NICK", "NICK a b"})
        void badArgument(String line) {
            assertThat(chat.connect().send(line).error()).isEqualTo(ChatErrors.BAD_ARGUMENT);
        }

        @Test
        @DisplayName("answers the full error line with a sentence")
        void errorLine() {
            chat.registered("alice");
            assertThat(chat.connect().send("NICK ALICE").line()).startsWith("ERR NICK NICK_IN_USE :someone is ALICE");
        }

        @ParameterizedTest(name = "alice collides with {0}")
        @ValueSource(strings = {"alice", "ALICE", "Alice", "aLiCe"})
        void caseInsensitive(String other) {
            chat.registered("alice");
            Client second = chat.connect();
            assertThat(second.send("NICK " + other).error()).isEqualTo(ChatErrors.NICK_IN_USE);
            assertThat(second.session().isRegistered()).isFalse();
        }

        @Test
        @DisplayName("composed Élodie collides with decomposed Élodie, and is shown composed")
        void nfcCollision() {
            Client first = chat.connect();
            assertThat(first.send("NICK E\u0301lodie").line()).isEqualTo("OK NICK \u00C9lodie");
            assertThat(chat.connect().send("NICK \u00C9lodie").error()).isEqualTo(ChatErrors.NICK_IN_USE);
            assertThat(chat.connect().send("NICK \u00C9LODIE").error()).isEqualTo(ChatErrors.NICK_IN_USE);
        }

        @Test
        @DisplayName("a rename frees the old nick and takes the new one")
        void renameFrees() {
            Client alice = chat.registered("alice");
            assertThat(alice.send("NICK alicia").line()).isEqualTo("OK NICK alicia");
            assertThat(alice.session().name()).contains("alicia");
            assertThat(chat.connect().send("NICK alice").reply().isOk()).isTrue();
            assertThat(chat.connect().send("NICK ALICIA").error()).isEqualTo(ChatErrors.NICK_IN_USE);
        }

        @Test
        @DisplayName("renaming to your own nick in another case works")
        void renameCase() {
            Client alice = chat.registered("alice");
            Client bob = chat.registered("bob");
            alice.ok("JOIN #lobby");
            bob.ok("JOIN #lobby");
            bob.takeEvents();
            assertThat(alice.send("NICK ALICE").line()).isEqualTo("OK NICK ALICE");
            assertThat(bob.takeEvents()).containsExactly("RENAMED alice ALICE");
            assertThat(chat.connect().send("NICK alice").error()).isEqualTo(ChatErrors.NICK_IN_USE);
        }

        @Test
        @DisplayName("taking the nick you already have answers OK and tells nobody")
        void sameNick() {
            Client alice = chat.registered("alice");
            Client bob = chat.registered("bob");
            alice.ok("JOIN #lobby");
            bob.ok("JOIN #lobby");
            bob.takeEvents();
            assertThat(alice.send("NICK alice").line()).isEqualTo("OK NICK alice");
            assertThat(bob.takeEvents()).isEmpty();
        }

        @Test
        @DisplayName("a rename tells every member of the renamer's rooms once, and not the renamer")
        void renameNotices() {
            Client alice = chat.registered("alice");
            Client bob = chat.registered("bob");
            Client carol = chat.registered("carol");
            Client dave = chat.registered("dave");
            alice.ok("JOIN #a");
            alice.ok("JOIN #b");
            bob.ok("JOIN #a");
            bob.ok("JOIN #b");
            carol.ok("JOIN #b");
            dave.ok("JOIN #elsewhere");
            alice.takeEvents();
            bob.takeEvents();
            carol.takeEvents();
            alice.ok("NICK alicia");
            assertThat(bob.takeEvents()).containsExactly("RENAMED alice alicia");
            assertThat(carol.takeEvents()).containsExactly("RENAMED alice alicia");
            assertThat(dave.takeEvents()).isEmpty();
            assertThat(alice.takeEvents()).isEmpty();
            bob.ok("SAY #a :hi");
            assertThat(alice.takeEvents()).hasSize(1);
            alice.ok("SAY #a :hello");
            assertThat(bob.takeEvents()).containsExactly("@msgid=2;time=2026-11-24T23:59:01.123Z MSG #a alicia :hello");
        }

        @Test
        @DisplayName("a rename onto someone else's nick answers NICK_IN_USE and changes nothing")
        void renameCollision() {
            Client alice = chat.registered("alice");
            chat.registered("bob");
            assertThat(alice.send("NICK Bob").error()).isEqualTo(ChatErrors.NICK_IN_USE);
            assertThat(alice.session().name()).contains("alice");
            assertThat(chat.connect().send("NICK alice").error()).isEqualTo(ChatErrors.NICK_IN_USE);
        }
    }

    @Nested
    @DisplayName("TELL")
    class Tell {
        @Test
        @DisplayName("reaches only the target as WHISPER <from> :<text>")
        void whisper() {
            Client alice = chat.registered("alice");
            Client bob = chat.registered("bob");
            Client carol = chat.registered("carol");
            assertThat(alice.send("TELL BOB :psst, over here").line()).isEqualTo("OK TELL bob");
            assertThat(bob.events()).containsExactly("WHISPER alice :psst, over here");
            assertThat(carol.events()).isEmpty();
            assertThat(alice.events()).isEmpty();
        }

        @Test
        @DisplayName("round-trips UTF-8 text: héllo wörld ✓")
        void utf8() {
            Client alice = chat.registered("alice");
            Client bob = chat.registered("bob");
            alice.ok("TELL bob :héllo wörld ✓");
            assertThat(bob.events()).containsExactly("WHISPER alice :héllo wörld ✓");
        }

        @Test
        @DisplayName("to a nick nobody has answers NO_SUCH_NICK")
        void noSuchNick() {
            Result r = chat.registered("alice").send("TELL nobody :hi");
            assertThat(r.error()).isEqualTo(ChatErrors.NO_SUCH_NICK);
            assertThat(r.line()).startsWith("ERR TELL NO_SUCH_NICK :nobody is nobody");
        }

        @Test
        @DisplayName("to a nick that left answers NO_SUCH_NICK")
        void gone() {
            Client alice = chat.registered("alice");
            chat.registered("bob").end("bye");
            assertThat(alice.send("TELL bob :hi").error()).isEqualTo(ChatErrors.NO_SUCH_NICK);
        }

        @ParameterizedTest(name = "answers BAD_ARGUMENT to \"{0}\"")
        @ValueSource(strings = {"TELL bob :", "TELL bob", "TELL", "TELL bob two words"})
        void badArgument(String line) {
            chat.registered("bob");
            assertThat(chat.registered("alice").send(line).error()).isEqualTo(ChatErrors.BAD_ARGUMENT);
        }

        @Test
        @DisplayName("a bad nick answers BAD_NAME")
        void badName() {
            assertThat(chat.registered("alice").send("TELL #room :hi").error()).isEqualTo(ChatErrors.BAD_NAME);
        }

        @Test
        @DisplayName("text over max-message-bytes answers MESSAGE_TOO_LONG")
        void tooLong() {
            ChatHarness small = new ChatHarness("max-message-bytes = 4");
            Client alice = small.registered("alice");
            Client bob = small.registered("bob");
            assertThat(alice.send("TELL bob :four").reply().isOk()).isTrue();
            assertThat(alice.send("TELL bob :fivee").error()).isEqualTo(ChatErrors.MESSAGE_TOO_LONG);
            assertThat(bob.events()).containsExactly("WHISPER alice :four");
        }
    }

    @Nested
    @DisplayName("NICK and accounts")
    class Reserved {
        @org.junit.jupiter.api.BeforeEach
        void accounts() {
            chat.provide(dev.parley.core.spi.Accounts.class,
                    new dev.parley.chat.TestAccounts(java.util.Set.of("Alice"), java.util.Set.of()));
        }

        @ParameterizedTest(name = "NICK {0} by a session not authenticated as Alice answers NICK_RESERVED")
        @ValueSource(strings = {"alice", "ALICE", "Alice"})
        void reserved(String nick) {
            Result r = chat.connect().send("NICK " + nick);
            assertThat(r.error()).isEqualTo(ChatErrors.NICK_RESERVED);
            assertThat(r.line()).startsWith("ERR NICK NICK_RESERVED :" + nick + " is the name of an account");
            assertThat(chat.directory().session(nick)).isEmpty();
        }

        @Test
        @DisplayName("another account may not take it either, nor may a registered session rename to it")
        void otherAccount() {
            Client bob = dev.parley.chat.TestAccounts.as(chat.connect(), "bob");
            assertThat(bob.send("NICK alice").error()).isEqualTo(ChatErrors.NICK_RESERVED);
            bob.ok("NICK bob");
            assertThat(bob.send("NICK Alice").error()).isEqualTo(ChatErrors.NICK_RESERVED);
            assertThat(bob.session().name()).contains("bob");
        }

        @Test
        @DisplayName("the account's holder takes it, in any case")
        void holder() {
            Client alice = dev.parley.chat.TestAccounts.as(chat.connect(), "Alice");
            assertThat(alice.send("NICK alice").line()).isEqualTo("OK NICK alice");
        }

        @Test
        @DisplayName("names of no account stay free for anyone")
        void free() {
            assertThat(chat.connect().send("NICK carol").line()).isEqualTo("OK NICK carol");
        }
    }

    @Nested
    @DisplayName("Lookalike nicks (UTS #39 confusables)")
    class Lookalikes {
        @ParameterizedTest(name = "{0} next to alice is NICK_IN_USE, naming alice")
        @ValueSource(strings = {"\u0430lice", "\uff41\uff4c\uff49\uff43\uff45", "\ud835\udc1alice", "\u0410LICE", "a1ice"})
        void inUse(String lookalike) {
            chat.registered("alice");
            Client second = chat.connect();
            Result r = second.send("NICK " + lookalike);
            assertThat(r.error()).isEqualTo(ChatErrors.NICK_IN_USE);
            assertThat(r.line()).contains("looks like alice");
            assertThat(second.session().isRegistered()).isFalse();
        }

        @ParameterizedTest(name = "{0} is refused while alice is held, and free once alice is gone")
        @ValueSource(strings = {"\u0430lice", "\uff41\uff4c\uff49\uff43\uff45", "\ud835\udc1alice"})
        void freedWithTheNick(String lookalike) {
            Client alice = chat.connect();
            alice.ok("NICK alice");
            Client second = chat.connect();
            assertThat(second.send("NICK " + lookalike).error()).isEqualTo(ChatErrors.NICK_IN_USE);
            alice.ok("NICK alicia");
            assertThat(second.send("NICK " + lookalike).line()).startsWith("OK NICK");
            assertThat(chat.connect().send("NICK alice").line()).contains("looks like " + lookalike);
        }

        @Test
        @DisplayName("a session may rename itself to a lookalike of its own nick")
        void ownLookalike() {
            Client alice = chat.connect();
            alice.ok("NICK alice");
            assertThat(alice.send("NICK \u0430lice").line()).isEqualTo("OK NICK \u0430lice");
            assertThat(chat.connect().send("NICK alice").error()).isEqualTo(ChatErrors.NICK_IN_USE);
        }

        @Test
        @DisplayName("nicks that only share letters are not lookalikes")
        void distinct() {
            chat.registered("alice");
            assertThat(chat.connect().send("NICK alicia").line()).isEqualTo("OK NICK alicia");
            assertThat(chat.connect().send("NICK bob").line()).isEqualTo("OK NICK bob");
        }

        @ParameterizedTest(name = "{0} resembling the account Alice is NICK_RESERVED, naming Alice")
        @ValueSource(strings = {"\u0430lice", "\uff41\uff4c\uff49\uff43\uff45", "\ud835\udc1alice"})
        void reserved(String lookalike) {
            chat.provide(dev.parley.core.spi.Accounts.class,
                    new dev.parley.chat.TestAccounts(java.util.Set.of("Alice"), java.util.Set.of()));
            Result r = chat.connect().send("NICK " + lookalike);
            assertThat(r.error()).isEqualTo(ChatErrors.NICK_RESERVED);
            assertThat(r.line()).contains("looks like Alice");
            Client holder = dev.parley.chat.TestAccounts.as(chat.connect(), "Alice");
            assertThat(holder.send("NICK " + lookalike).line()).startsWith("OK NICK");
        }
    }
}
