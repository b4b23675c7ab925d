package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.server.CoreSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/** A graceful stop under load loses nothing that was acknowledged (docs/protocol.md, BYE SHUTDOWN). */
@DisplayName("graceful shutdown")
@Timeout(60)
class GracefulShutdownTest {

    @RepeatedTest(5)
    @DisplayName("every message the sender got OK for reaches the reading member before its BYE SHUTDOWN")
    void acknowledgedMessagesAreDelivered() throws Exception {
        int n = 40_000;
        String text = "t".repeat(100);
        try (TestServer server = TestServer.start(new CoreSettings("parley", 4, 256),
                TestServer.settings(100, 4 * 1024 * 1024));
             LineClient member = server.connect().hello();
             LineClient sender = server.connect().hello()) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < n; i++) {
                all.append("@id=").append(i).append(" SHOUT ").append(i).append(" :").append(text).append('\n');
            }
            CompletableFuture.runAsync(() -> {
                try {
                    sender.send(all.toString());
                } catch (IOException closedByTheShutdown) {
                    // the server stopped reading and closed: the rest was never sent
                }
            });
            CountDownLatch someAcknowledged = new CountDownLatch(1);
            CompletableFuture<List<String>> acknowledged = CompletableFuture.supplyAsync(() -> {
                List<String> ids = new ArrayList<>();
                try {
                    for (String line; (line = sender.readLine()) != null; ) {
                        if (line.startsWith("BYE ")) {
                            assertThat(line).startsWith("BYE SHUTDOWN");
                            break;
                        }
                        assertThat(line).isEqualTo("@id=" + ids.size() + " OK SHOUT");
                        ids.add(Integer.toString(ids.size()));
                        if (ids.size() == 200) {
                            someAcknowledged.countDown();
                        }
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                return ids;
            });
            CompletableFuture<List<String>> delivered = CompletableFuture.supplyAsync(() -> {
                List<String> ids = new ArrayList<>();
                try {
                    for (String line; (line = member.readLine()) != null; ) {
                        if (line.startsWith("BYE ")) {
                            assertThat(line).startsWith("BYE SHUTDOWN");
                            return ids;
                        }
                        assertThat(line).startsWith("NOISE ");
                        ids.add(line.substring(6, line.indexOf(' ', 6)));
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                throw new AssertionError("the member's connection ended without BYE SHUTDOWN after " + ids.size());
            });
            assertThat(someAcknowledged.await(20, TimeUnit.SECONDS)).isTrue();
            server.transport.stopAccepting();
            assertThat(server.core.shutdown(Duration.ofSeconds(10))).as("every session ended in time").isTrue();

            List<String> ok = acknowledged.get(20, TimeUnit.SECONDS);
            Set<String> got = new LinkedHashSet<>(delivered.get(20, TimeUnit.SECONDS));
            System.out.printf("shutdown under load: %d acknowledged, %d delivered before BYE SHUTDOWN%n",
                    ok.size(), got.size());
            assertThat(ok).hasSizeGreaterThanOrEqualTo(200);
            assertThat(got).as("delivered before BYE SHUTDOWN").containsAll(ok);
        }
    }
}
