package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.auth.password.PasswordHash;
import dev.parley.testkit.LineClient;
import dev.parley.testkit.ParleyTestKit;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The admin API under /api/v1/")
class AdminApiTest {
    private static final String TOKEN = "s3cret-token-for-tests";
    private static WebTestServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        // Hashed once per class: PBKDF2 at the minimum iterations takes a while by design.
        String opHash = PasswordHash.create("op-pass".toCharArray()).toString();
        String userHash = PasswordHash.create("user-pass".toCharArray()).toString();
        server = WebTestServer.start(Map.of("parley.http.admin-token", TOKEN,
                        "parley.auth.users", Map.of("root", opHash, "mallory", userHash),
                        "parley.auth.operators", java.util.List.of("root")),
                java.util.Optional.of(new dev.parley.core.store.MemoryMessageStore(100)),
                ParleyTestKit.findPlugin("chat"), ParleyTestKit.findPlugin("auth"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private HttpResponse<String> call(String method, String path, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.url.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("answers 401 without credentials or with wrong ones, on every resource")
    void unauthorized() throws Exception {
        for (String path : new String[] {"/api/v1/sessions", "/api/v1/rooms", "/api/v1/nothing", "/api/v1/rooms/club/bans"}) {
            HttpResponse<String> none = call("GET", path, null, null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("Basic"));
        }
        assertThat(call("GET", "/api/v1/sessions", "Bearer wrong", null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/api/v1/sessions", "Bearer ", null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/api/v1/sessions", basic("root", "wrong"), null).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/api/v1/announce", null, "hi").statusCode()).isEqualTo(401);
    }

    @Test
    @DisplayName("answers 403 to an account that is not an operator")
    void forbidden() throws Exception {
        assertThat(call("GET", "/api/v1/sessions", basic("mallory", "user-pass"), null).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/api/v1/rooms/club/bans", basic("mallory", "user-pass"), null).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/v1/rooms/club/bans?target=nick:root", basic("mallory", "user-pass"), "")
                .statusCode()).isEqualTo(403);
    }

    @Test
    @DisplayName("an operator lists sessions and rooms, kicks a session with BYE KICKED and announces")
    void operator() throws Exception {
        try (LineClient alice = server.tcp.connect(); LineClient bob = server.tcp.connect()) {
            alice.send("NICK alice").reply();
            alice.send("JOIN #ops").reply();
            alice.send("TOPIC #ops :<b>not html</b>").reply();
            bob.send("NICK bob").reply();
            HttpResponse<String> sessions = call("GET", "/api/v1/sessions", basic("root", "op-pass"), null);
            assertThat(sessions.statusCode()).isEqualTo(200);
            assertThat(sessions.body()).contains("\"nick\":\"alice\"", "\"nick\":\"bob\"");
            HttpResponse<String> rooms = call("GET", "/api/v1/rooms", "Bearer " + TOKEN, null);
            assertThat(rooms.body()).contains("\"name\":\"#ops\"", "\"members\":1",
                    "\"topic\":\"\\u003cb\\u003enot html\\u003c/b\\u003e\"");
            assertThat(call("GET", "/api/v1/rooms/ops", "Bearer " + TOKEN, null).body()).contains("\"members\":[\"alice\"]");
            assertThat(call("GET", "/api/v1/rooms/%23ops", "Bearer " + TOKEN, null).body()).contains("\"members\":[\"alice\"]");
            assertThat(call("GET", "/api/v1/rooms/none", "Bearer " + TOKEN, null).statusCode()).isEqualTo(404);

            assertThat(call("POST", "/api/v1/announce", "Bearer " + TOKEN, "maintenance at noon").statusCode())
                    .isEqualTo(200);
            assertThat(alice.event()).isEqualTo("NOTICE server :maintenance at noon");
            assertThat(bob.event()).isEqualTo("NOTICE server :maintenance at noon");

            String bobId = sessions.body().replaceAll("(?s).*\"id\":(\\d+),\"nick\":\"bob\".*", "$1");
            HttpResponse<String> kick = call("POST", "/api/v1/sessions/" + bobId + "/kick", "Bearer " + TOKEN,
                    "spamming");
            assertThat(kick.statusCode()).isEqualTo(200);
            assertThat(bob.event()).isEqualTo("BYE KICKED :spamming");
            bob.awaitClosed();
            assertThat(call("POST", "/api/v1/sessions/999999/kick", "Bearer " + TOKEN, "").statusCode()).isEqualTo(404);
        }
    }

    @Test
    @DisplayName("after 5 failed logins from one address it answers 429, even to the right credentials")
    void lockout() throws Exception {
        try (WebTestServer own = WebTestServer.start(Map.of("parley.http.admin-token", TOKEN),
                ParleyTestKit.findPlugin("chat"))) {
            HttpClient client = HttpClient.newHttpClient();
            java.util.function.Function<String, Integer> status = auth -> {
                try {
                    return client.send(HttpRequest.newBuilder(own.url.resolve("/api/v1/sessions"))
                            .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            assertThat(status.apply("Bearer " + TOKEN)).isEqualTo(200);
            for (int i = 0; i < 5; i++) {
                assertThat(status.apply("Bearer guess-" + i)).isEqualTo(401);
            }
            assertThat(status.apply("Bearer guess-6")).isEqualTo(429);
            assertThat(status.apply("Bearer " + TOKEN)).isEqualTo(429);
        }
    }

    /** The next event of that verb, after events such as JOINED that came before it. */
    private static String eventAfterOthers(LineClient client, String verb) {
        for (int i = 0; i < 10; i++) {
            String event = client.event();
            if (event.startsWith(verb + " ") || event.contains(" " + verb + " ")) {
                return event;
            }
        }
        throw new AssertionError("no " + verb + " event");
    }

    @Test
    @DisplayName("an operator bans from a room (the member leaves it and cannot rejoin), lists the bans and lifts one")
    void bans() throws Exception {
        try (LineClient alice = server.tcp.connect(); LineClient eve = server.tcp.connect()) {
            alice.send("NICK alice").reply();
            assertThat(alice.send("JOIN #club").reply()).isEqualTo("OK JOIN #club");
            eve.send("NICK eve").reply();
            assertThat(eve.send("JOIN #club").reply()).isEqualTo("OK JOIN #club");
            assertThat(call("GET", "/api/v1/rooms/club/bans", "Bearer " + TOKEN, null).body()).isEqualTo("[]\n");

            HttpResponse<String> banned = call("POST", "/api/v1/rooms/club/bans?target=nick:eve&duration=2h",
                    basic("root", "op-pass"), "flooding");
            assertThat(banned.statusCode()).isEqualTo(201);
            assertThat(banned.body()).contains("\"target\":\"nick:eve\"", "\"by\":\"root\"", "\"reason\":\"flooding\"")
                    .containsPattern("\"expires\":\"20[0-9-]+T");
            assertThat(eventAfterOthers(alice, "BANNED")).endsWith("BANNED #club nick:eve root :flooding");
            assertThat(eventAfterOthers(eve, "BANNED")).endsWith("BANNED #club nick:eve root :flooding");
            assertThat(eve.event()).endsWith("KICKED #club eve root :flooding");
            assertThat(call("GET", "/api/v1/rooms/club", "Bearer " + TOKEN, null).body())
                    .contains("\"members\":[\"alice\"]");
            assertThat(eve.send("JOIN #club").reply()).startsWith("ERR JOIN BANNED");

            HttpResponse<String> list = call("GET", "/api/v1/rooms/%23club/bans", "Bearer " + TOKEN, null);
            assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
            assertThat(list.body()).startsWith("[{\"target\":\"nick:eve\",\"by\":\"root\"");
            assertThat(alice.send("BANS #club").answer().lines()).filteredOn(l -> l.startsWith("BANMASK")).singleElement().asString()
                    .startsWith("BANMASK #club nick:eve root 20");

            HttpResponse<String> lifted = call("DELETE", "/api/v1/rooms/club/bans?target=nick:eve", "Bearer " + TOKEN, null);
            assertThat(lifted.statusCode()).as(lifted.body()).isEqualTo(200);
            assertThat(call("DELETE", "/api/v1/rooms/club/bans?target=nick:eve", "Bearer " + TOKEN, null).statusCode())
                    .isEqualTo(404);
            assertThat(eve.send("JOIN #club").reply()).isEqualTo("OK JOIN #club");
            assertThat(call("GET", "/api/v1/rooms/club/bans", "Bearer " + TOKEN, null).body()).isEqualTo("[]\n");

            HttpResponse<String> bad = call("POST", "/api/v1/rooms/club/bans?target=host:example.org", "Bearer " + TOKEN, "");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("BAD_ARGUMENT", "host:example.org");
            assertThat(call("POST", "/api/v1/rooms/club/bans?target=nick:eve&duration=soon", "Bearer " + TOKEN, "")
                    .statusCode()).isEqualTo(400);
            assertThat(call("POST", "/api/v1/rooms/club/bans", "Bearer " + TOKEN, "").statusCode()).isEqualTo(400);
        }
    }

    @Test
    @DisplayName("a session whose connection dropped is listed as detached, without a made-up pending byte count")
    void detachedSession() throws Exception {
        try (WebTestServer own = WebTestServer.start(Map.of("parley.http.admin-token", TOKEN),
                ParleyTestKit.findPlugin("chat"), ParleyTestKit.findPlugin("heartbeat"))) {
            LineClient gone = own.tcp.connect();
            assertThat(gone.send("NICK gone").reply()).startsWith("OK NICK gone");
            gone.close();
            HttpRequest sessions = HttpRequest.newBuilder(own.url.resolve("/api/v1/sessions"))
                    .header("Authorization", "Bearer " + TOKEN).build();
            String body = "";
            for (int i = 0; i < 100 && !body.contains("\"detached\":true"); i++) {
                Thread.sleep(50);
                body = http.send(sessions, HttpResponse.BodyHandlers.ofString()).body();
            }
            assertThat(body).contains("\"nick\":\"gone\"", "\"detached\":true", "\"pendingBytes\":null")
                    .doesNotContain(Long.toString(Long.MAX_VALUE));
        }
    }

    @Test
    @DisplayName("bans answer 404 NOT_AVAILABLE on a server where no plugin moderates rooms")
    void bansWithoutModeration() throws Exception {
        try (WebTestServer bare = WebTestServer.start(Map.of("parley.http.admin-token", TOKEN))) {
            HttpResponse<String> none = http.send(HttpRequest.newBuilder(bare.url.resolve("/api/v1/rooms/club/bans"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).isEqualTo(404);
            assertThat(none.body()).contains("NOT_AVAILABLE");
        }
    }
}
