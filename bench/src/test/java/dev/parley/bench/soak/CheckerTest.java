package dev.parley.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak's verdict from recorded traffic: three clients in one room, client 0 sending, clients 1 and 2
 * receiving; each test changes what they received and expects the checker to say exactly what broke.
 */
class CheckerTest {
    @TempDir
    Path tmp;

    private SoakSettings settings;
    private List<SoakClient> clients;

    @BeforeEach
    void threeClientsInOneRoom() throws IOException {
        settings = new SoakSettings(tmp, Duration.ofSeconds(1), 1, 3, 1, 1, 10, Duration.ZERO, Duration.ZERO,
                Duration.ZERO, Duration.ZERO, "memory:", "64m", tmp, SoakSettings.ALL_KINDS);
        clients = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            SoakClient client = new SoakClient(c, settings);
            client.endedAlive = true;
            clients.add(client);
        }
    }

    private void sent(int client, int target, int status) {
        sentAt(client, target, status, 1000);
    }

    private void sentAt(int client, int target, int status, int at) {
        clients.get(client).sentTarget.add(target);
        clients.get(client).sentStatus.add(status);
        clients.get(client).sentAt.add(at);
    }

    private void lostSession(int client, int from, int to) {
        clients.get(client).sessionLosses.add("12:00:00.000 registered anew as soak" + client);
        clients.get(client).lossWindows.add(new int[] {from, to});
    }

    private void saw(int observer, String verb, int subject, int at) {
        clients.get(observer).roomEvents.add(new SoakClient.RoomEvent(at, "12:00:00.000", verb, "#soak0", subject,
                "connection lost"));
    }

    private void received(int client, int msgid, int sender, int seq) {
        clients.get(client).receivedIds.get(0).add(msgid);
        clients.get(client).receivedPayloads.get(0).add(SoakClient.payload(sender, seq));
    }

    private SoakReport check() {
        return new Checker(settings, clients).check(List.of());
    }

    /** Client 0 sends two acknowledged messages; both receivers get msgids 1 and 2 unless a test says otherwise. */
    private void twoAcknowledged() {
        sent(0, 0, SoakClient.ACKED);
        sent(0, 0, SoakClient.ACKED);
    }

    @Test
    void everyAcknowledgedMessageAtEveryOtherMemberInOrderPasses() {
        twoAcknowledged();
        for (int c = 1; c <= 2; c++) {
            received(c, 1, 0, 1);
            received(c, 2, 0, 2);
        }
        SoakReport report = check();
        assertThat(report.passed()).as(report::text).isTrue();
        assertThat(report.table()).contains("| #soak0 | 3 | 2 | 2 | 0 | 0 | 4 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |");
    }

    @Test
    void anAcknowledgedMessageMissingAtOneMemberIsLost() {
        twoAcknowledged();
        received(1, 1, 0, 1);
        received(1, 2, 0, 2);
        received(2, 1, 0, 1);
        SoakReport report = check();
        assertThat(report.violations()).containsOnlyKeys("lost").containsEntry("lost", 1);
        assertThat(report.details().get("lost")).containsExactly("#soak0 0.2 (acknowledged; msgid [2]) missing at client 2");
    }

    @Test
    void anUnacknowledgedMessageMayBeMissing() {
        sent(0, 0, SoakClient.ACKED);
        sent(0, 0, SoakClient.FAILED);
        received(1, 1, 0, 1);
        received(2, 1, 0, 1);
        assertThat(check().passed()).isTrue();
    }

    @Test
    void aLowerMsgidAfterAHigherOneIsReordered() {
        twoAcknowledged();
        received(1, 2, 0, 2);
        received(1, 1, 0, 1);
        received(2, 1, 0, 1);
        received(2, 2, 0, 2);
        SoakReport report = check();
        assertThat(report.violations()).containsOnlyKeys("reordered");
        assertThat(report.details().get("reordered")).containsExactly("#soak0 client 1 received msgid 1 (0.1) after msgid 2");
    }

    @Test
    void aSendersMessagesNumberedAgainstItsOrderAreReordered() {
        twoAcknowledged();
        for (int c = 1; c <= 2; c++) {
            received(c, 1, 0, 2);
            received(c, 2, 0, 1);
        }
        SoakReport report = check();
        assertThat(report.violations()).containsOnlyKeys("reordered").containsEntry("reordered", 1);
        assertThat(report.details().get("reordered")).containsExactly("#soak0 sender 0: seq 2 got msgid 1 below seq 1's msgid 2");
    }

    @Test
    void twoMessagesUnderOneMsgidAreReuse() {
        twoAcknowledged();
        received(1, 1, 0, 1);
        received(1, 2, 0, 2);
        received(2, 1, 0, 2);
        received(2, 2, 0, 1);
        received(2, 1, 0, 1);   // the same msgid again, with the other message: reuse, not a duplicate
        SoakReport report = check();
        assertThat(report.violations()).containsKey("msgid reuse");
        assertThat(report.table()).contains("| 0 | 2 | 0 | 2 |\n"); // duplicated, ran twice, reordered, reuse
        assertThat(report.details().get("msgid reuse")).contains("#soak0 msgid 1 carried 0.1 and, at client 2, 0.2");
    }

    @Test
    void aMsgidReceivedTwiceIsADuplicateNotAViolation() {
        twoAcknowledged();
        for (int c = 1; c <= 2; c++) {
            received(c, 1, 0, 1);
            received(c, 2, 0, 2);
        }
        received(2, 2, 0, 2);
        SoakReport report = check();
        assertThat(report.passed()).as(report::text).isTrue();
        assertThat(report.table()).contains("| #soak0 | 3 | 2 | 2 | 0 | 0 | 4 | 0 | 0 | 0 | 1 | 0 | 0 | 0 |");
    }

    @Test
    void aMessageRunTwiceUnderTwoMsgidsIsReportedNotFailed() {
        twoAcknowledged();
        for (int c = 1; c <= 2; c++) {
            received(c, 1, 0, 1);
            received(c, 2, 0, 1);
            received(c, 3, 0, 2);
        }
        SoakReport report = check();
        assertThat(report.passed()).as(report::text).isTrue();
        assertThat(report.details().get("messages run twice (not violations)")).containsExactly("#soak0 0.1 under msgids [1, 2]");
    }

    @Test
    void aLostSessionFailsButExcusesWhatItMissedMeanwhile() {
        sent(0, 0, SoakClient.ACKED);
        sent(0, 0, SoakClient.ACKED);
        sent(0, 0, SoakClient.ACKED);
        for (int seq = 1; seq <= 3; seq++) {
            received(1, seq, 0, seq);
        }
        received(2, 1, 0, 1);
        clients.get(2).receivedIds.get(0).add(SoakClient.LOST_MARK);
        clients.get(2).receivedPayloads.get(0).add(0);
        lostSession(2, 900, 1100);
        received(2, 3, 0, 3);
        SoakReport report = check();
        assertThat(report.violations()).containsOnlyKeys("session lost");
        assertThat(report.table()).contains("| #soak0 | 3 | 3 | 3 | 0 | 0 | 5 | 0 | 0 | 1 | 0 | 0 | 0 | 0 |");
    }

    @Test
    void aClientNotConnectedAtTheEndLostItsSession() {
        clients.get(1).endedAlive = false;
        SoakReport report = check();
        assertThat(report.violations()).containsOnlyKeys("session lost");
        assertThat(report.details().get("session lost")).containsExactly("client 1 not connected at the end: still reconnecting");
    }

    @Test
    void anAcknowledgedWhisperMissingAtItsTargetIsLost() {
        sent(0, -2, SoakClient.ACKED); // to client 1
        sent(0, -3, SoakClient.ACKED); // to client 2
        clients.get(2).whispers.add(SoakClient.payload(0, 2));
        SoakReport report = check();
        assertThat(report.violations()).containsOnlyKeys("lost");
        assertThat(report.details().get("lost")).containsExactly("whisper 0.1 (acknowledged) missing at client 1");
    }

    @Test
    void aMessageNobodyReceivedIsExcusedOnlyWhereItWasSentWhileTheMemberWasAway() {
        sentAt(0, 0, SoakClient.ACKED, 10_000);
        lostSession(1, 9_500, 10_500);
        SoakReport report = check();
        assertThat(report.violations()).containsOnlyKeys("session lost", "lost");
        assertThat(report.details().get("lost")).containsExactly(
                "#soak0 0.1 (acknowledged; msgid never seen by anyone) missing at client 2");
    }

    @Test
    void aLeftForASessionThatWasNotLostIsAPhantom() {
        lostSession(2, 5_000, 6_000);
        saw(0, "LEFT", 2, 5_200);   // client 2 was away: expected
        saw(1, "JOINED", 2, 6_100); // and came back
        saw(0, "LEFT", 1, 20_000);  // client 1 never lost its session
        SoakReport report = check();
        assertThat(report.violations()).containsOnlyKeys("session lost", "phantom LEFT");
        assertThat(report.details().get("phantom LEFT")).containsExactly("client 0 saw LEFT #soak0 soak1"
                + " :connection lost at 12:00:00.000, but soak1's session was not lost");
    }
}
