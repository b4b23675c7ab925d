package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.auth.AuthPlugin;
import dev.parley.chat.ChatPlugin;
import dev.parley.core.store.MemoryMessageStore;
import dev.parley.filetransfer.FileTransferPlugin;
import dev.parley.heartbeat.HeartbeatPlugin;
import dev.parley.testkit.LineClient;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser client in a real browser: Debian's headless Chromium driven by Selenium through Debian's
 * chromedriver (Selenium Manager is never asked to download anything), two browser users and one raw TCP
 * user in one room. Runs on the class path (surefire execution "browser"): Selenium's dependencies are not
 * all modules. Skipped, saying so, only when Chromium or its driver is not installed.
 */
@DisplayName("The browser client in headless Chromium")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserClientTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path tmp;
    private static WebTestServer server;
    private static WebDriver alice;
    private static WebDriver bob;
    private static LineClient carol;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "Chromium is not installed: apt-get install -y chromium chromium-driver (skipping the browser test)");
        server = WebTestServer.start(Map.of("parley.filetransfer.spool-dir", tmp.resolve("spool").toString(),
                        "parley.heartbeat.resume-grace", "30s", "parley.auth.registration", "open"),
                Optional.of(new MemoryMessageStore(1000)),
                new ChatPlugin(), new FileTransferPlugin(), new HeartbeatPlugin(), new AuthPlugin());
        alice = browser("alice");
        bob = browser("bob");
        carol = server.tcp.connect();
    }

    @AfterAll
    static void stop() {
        for (WebDriver driver : new WebDriver[] {alice, bob}) {
            if (driver != null) {
                driver.quit();
            }
        }
        if (carol != null) {
            carol.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static WebDriver browser(String name) throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-" + name)), "--window-size=1100,750");
        org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
        logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        // As a user who clicked "Allow" when the client asked to show notifications.
        driver.executeCdpCommand("Browser.grantPermissions",
                Map.of("origin", server.origin(), "permissions", List.of("notifications")));
        return driver;
    }

    /** Waits; a timeout says what the page showed (status, transfers, last messages) and its console. */
    private static WebDriverWait waiting(WebDriver driver) {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.withMessage(() -> "page showed: status=" + text(driver, "status") + " transfers=" + text(driver, "transfers")
                + " messages=" + text(driver, "messages") + " console=" + console(driver));
        return wait;
    }

    private static String console(WebDriver driver) {
        try {
            return ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return JSON.stringify("
                    + "parley.link.pending.map(p => [p.id, p.verb, p.sent]))") + " " + driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().toString();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static String text(WebDriver driver, String id) {
        try {
            return driver.findElement(By.id(id)).getText();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static void login(WebDriver driver, String nick) {
        driver.get(server.url.toString());
        waiting(driver).until(ExpectedConditions.textToBePresentInElementLocated(By.id("greeting"), "Connected to"));
        waiting(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("nick"))).sendKeys(nick);
        driver.findElement(By.id("login-go")).click();
        waiting(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("line")));
        driver.findElement(By.id("join-input")).sendKeys("#lounge");
        driver.findElement(By.cssSelector("#join-form button")).click();
        waiting(driver).until(ExpectedConditions.textToBe(By.id("conv-name"), "#lounge"));
    }

    private static void say(WebDriver driver, String text) {
        WebElement line = driver.findElement(By.id("line"));
        line.sendKeys(text);
        driver.findElement(By.id("send")).click();
    }

    private static WebElement message(WebDriver driver, String text) {
        By locator = By.xpath("//div[@id='messages']//div[contains(@class,'msg')][span[@class='text' and .="
                + xpathLiteral(text) + "]]");
        return waiting(driver).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private static String xpathLiteral(String s) {
        return "'" + s + "'";
    }

    private static String nextEvent(String verb) {
        for (int i = 0; i < 20; i++) {
            String event = carol.event();
            if (event.contains(" " + verb + " ") || event.startsWith(verb + " ")) {
                return event;
            }
        }
        throw new AssertionError("no " + verb + " event for the TCP user");
    }

    @Test
    @Order(1)
    @DisplayName("two browser users and a TCP user chat in one room; a mention is highlighted; text stays text")
    void chat() {
        assertThat(carol.send("NICK carol").reply()).startsWith("OK NICK carol");
        assertThat(carol.send("JOIN #lounge").reply()).isEqualTo("OK JOIN #lounge");
        login(alice, "alice");
        login(bob, "bob");

        say(alice, "hello from the browser");
        message(bob, "hello from the browser");
        assertThat(nextEvent("MSG")).endsWith("MSG #lounge alice :hello from the browser");

        carol.send("SAY #lounge :<img src=x onerror=alert(1)> hi bob, from nc");
        WebElement mention = message(bob, "<img src=x onerror=alert(1)> hi bob, from nc");
        assertThat(mention.getAttribute("class")).contains("mention");
        assertThat(bob.findElements(By.cssSelector("#messages img"))).isEmpty();
        message(alice, "<img src=x onerror=alert(1)> hi bob, from nc");

        say(bob, "hi all");
        message(alice, "hi all");
        assertThat(nextEvent("MSG")).endsWith("MSG #lounge bob :hi all");

        // Another conversation open: the room counts unread messages and marks where they start.
        bob.findElement(By.id("join-input")).sendKeys("carol");
        bob.findElement(By.cssSelector("#join-form button")).click();
        waiting(bob).until(ExpectedConditions.textToBe(By.id("conv-name"), "carol"));
        carol.send("SAY #lounge :while bob looks elsewhere").reply();
        carol.send("SAY #lounge :and once more").reply();
        By lounge = By.cssSelector("#conversations li[data-conversation='#lounge']");
        waiting(bob).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#conversations li[data-conversation='#lounge'] .unread"), "2"));
        bob.findElement(lounge).click();
        message(bob, "while bob looks elsewhere");
        assertThat(bob.findElement(By.cssSelector("#conversations li[data-conversation='#lounge'] .unread")).getText()).isEmpty();
        WebElement marker = bob.findElement(By.cssSelector("#messages .new-marker"));
        assertThat(marker.findElement(By.xpath("following-sibling::div[1]")).getText()).contains("while bob looks elsewhere");
        // A private message arrives in its own conversation.
        carol.send("TELL bob :just between us").reply();
        waiting(bob).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#conversations li[data-conversation='carol'] .unread"), "1"));

        bob.findElement(By.id("who")).click();
        waiting(bob).until(ExpectedConditions.textToBePresentInElementLocated(By.id("members"), "carol"));
        assertThat(bob.findElement(By.id("members")).getText()).contains("alice", "bob", "carol");
    }

    @Test
    @Order(2)
    @DisplayName("a browser user sends a file to the room; the other downloads it with its SHA-256 checked")
    void fileTransfer() throws Exception {
        byte[] content = new byte[200_000];
        new Random(25).nextBytes(content);
        Path file = Files.write(tmp.resolve("notes.bin"), content);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));

        alice.findElement(By.id("file-input")).sendKeys(file.toAbsolutePath().toString());
        waiting(alice).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#transfers [data-done='sent']")));
        assertThat(nextEvent("FILE")).contains(" alice 200000 " + sha);

        WebElement download = waiting(bob).until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.download")));
        download.click();
        WebElement saved = waiting(bob).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a.saved")));
        assertThat(saved.getAttribute("data-sha256")).isEqualTo(sha);
        assertThat(bob.findElement(By.cssSelector("#transfers [data-done='received']")).getText())
                .contains("200000 bytes, SHA-256 verified");
    }

    @Test
    @Order(3)
    @DisplayName("a browser user survives the server dropping its connection: RESUME, nothing missed")
    void resume() throws Exception {
        assertThat(server.web.dropWebSockets()).isEqualTo(2);
        carol.send("SAY #lounge :sent while the browsers were cut off").reply();
        message(bob, "sent while the browsers were cut off");
        message(alice, "sent while the browsers were cut off");
        waiting(bob).until(ExpectedConditions.textToBe(By.id("status"), "connected"));
        say(bob, "back again");
        assertThat(nextEvent("MSG")).endsWith("MSG #lounge bob :back again");
        // Nothing shown twice: the replayed message is the only copy.
        assertThat(bob.findElements(By.xpath("//span[@class='text' and .='hi all']"))).hasSize(1);

        Path shots = Files.createDirectories(Path.of("target"));
        File shot = ((ChromeDriver) bob).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), shots.resolve("browser-client.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        alice.manage().window().setSize(new Dimension(390, 844));
        File phone = ((ChromeDriver) alice).getScreenshotAs(OutputType.FILE);
        Files.copy(phone.toPath(), shots.resolve("browser-client-phone.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(shots.resolve("browser-client.png"))).isGreaterThan(10_000);
    }

    private static Object js(WebDriver driver, String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static void open(WebDriver driver, String conversation) {
        driver.findElement(By.id("join-input")).sendKeys(conversation);
        driver.findElement(By.cssSelector("#join-form button")).click();
        waiting(driver).until(ExpectedConditions.textToBe(By.id("conv-name"), conversation));
    }

    @Test
    @Order(4)
    @DisplayName("scrolling up pages a room's history with HISTORY BEFORE, back to its first message")
    void scrollBack() throws Exception {
        try (LineClient erin = server.tcp.connect()) {
            assertThat(erin.send("NICK erin").reply()).startsWith("OK NICK erin");
            assertThat(erin.send("JOIN #archive").reply()).isEqualTo("OK JOIN #archive");
            for (int i = 1; i <= 300; i++) {
                erin.send("SAY #archive :old message " + i);
            }
            for (int i = 1; i <= 300; i++) {
                assertThat(erin.reply()).isEqualTo("OK SAY #archive");
            }
        }
        alice.manage().window().setSize(new Dimension(1100, 750));
        open(alice, "#archive");
        message(alice, "old message 300");
        By lines = By.cssSelector("#messages .msg[data-msgid]");
        int shown = alice.findElements(lines).size();
        assertThat(shown).as("the first page, not the whole history").isLessThan(300);
        assertThat((Boolean) js(alice, "const m = document.getElementById('messages');"
                + " return m.scrollHeight > m.clientHeight;")).as("more than a screenful").isTrue();
        for (int pages = 0; pages < 20 && alice.findElements(By.cssSelector("#messages .history-end")).isEmpty(); pages++) {
            int before = alice.findElements(lines).size();
            js(alice, "const m = document.getElementById('messages'); m.scrollTop = 0;"
                    + " m.dispatchEvent(new Event('scroll'));");
            waiting(alice).until(d -> d.findElements(lines).size() > before
                    || !d.findElements(By.cssSelector("#messages .history-end")).isEmpty());
        }
        List<String> texts = alice.findElements(By.cssSelector("#messages .msg[data-msgid] .text")).stream()
                .map(WebElement::getText).toList();
        assertThat(texts).hasSize(300);
        for (int i = 0; i < 300; i++) {
            assertThat(texts.get(i)).isEqualTo("old message " + (i + 1));
        }
        assertThat(alice.findElement(By.cssSelector("#messages .history-end")).getText()).isEqualTo("beginning of #archive");
    }

    @Test
    @Order(5)
    @DisplayName("a user logs out, creates an account where anyone may (REGISTER) and chats under it")
    void registerAndLogout() throws Exception {
        alice.findElement(By.id("logout")).click();
        waiting(alice).until(ExpectedConditions.visibilityOfElementLocated(By.id("nick")));
        assertThat(alice.findElement(By.id("chat")).isDisplayed()).isFalse();
        assertThat(alice.findElements(By.cssSelector("#conversations li"))).isEmpty();
        waiting(alice).until(ExpectedConditions.textToBe(By.id("status"), "connected"));
        alice.findElement(By.cssSelector("#account summary")).click();
        waiting(alice).until(ExpectedConditions.visibilityOfElementLocated(By.id("register"))).click();
        alice.findElement(By.id("login-user")).sendKeys("dave");
        alice.findElement(By.id("login-pass")).sendKeys("a long passphrase");
        alice.findElement(By.id("nick")).clear();
        alice.findElement(By.id("nick")).sendKeys("dave");
        alice.findElement(By.id("login-go")).click();
        waiting(alice).until(ExpectedConditions.visibilityOfElementLocated(By.id("line")));
        open(alice, "#lounge");
        say(alice, "dave has an account now");
        assertThat(nextEvent("MSG")).endsWith("MSG #lounge dave :dave has an account now");
        // The account exists: another connection authenticates as it; the nick dave is its own now.
        try (LineClient again = server.tcp.connect()) {
            assertThat(again.send("AUTH dave :a long passphrase").reply()).isEqualTo("OK AUTH dave");
        }
        try (LineClient other = server.tcp.connect()) {
            assertThat(other.send("NICK dave").reply()).startsWith("ERR NICK NICK_RESERVED");
        }
    }

    @Test
    @Order(6)
    @DisplayName("a mention while the tab is hidden shows a browser notification; none while it is visible")
    void mentionNotifies() {
        assertThat(js(bob, "return Notification.permission")).isEqualTo("granted");
        // Records each notification the page shows (a real one is still shown) and hides the tab as another
        // tab in front would: document.hidden and visibilityState, with the visibilitychange event.
        js(bob, "window.shown = []; const Real = window.Notification;"
                + " window.Notification = class extends Real {"
                + "   constructor(title, options) { super(title, options); window.shown.push([title, options.body]); } };"
                + " window.setHidden = (hidden) => {"
                + "   Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });"
                + "   Object.defineProperty(document, 'visibilityState', { configurable: true,"
                + "     get: () => hidden ? 'hidden' : 'visible' });"
                + "   document.dispatchEvent(new Event('visibilitychange')); };");
        bob.findElement(By.cssSelector("#conversations li[data-conversation='#lounge']")).click();
        carol.send("SAY #lounge :bob, while you look").reply();
        assertThat(message(bob, "bob, while you look").getAttribute("class")).contains("mention");
        assertThat(js(bob, "return window.shown.length")).isEqualTo(0L);

        js(bob, "window.setHidden(true)");
        carol.send("SAY #lounge :not for anyone in particular").reply();
        carol.send("SAY #lounge :are you there, bob?").reply();
        assertThat(message(bob, "are you there, bob?").getAttribute("class")).contains("mention");
        waiting(bob).until(d -> ((Long) js(d, "return window.shown.length")) > 0);
        assertThat(js(bob, "return window.shown")).isEqualTo(List.of(List.of("carol in #lounge", "are you there, bob?")));
        js(bob, "window.setHidden(false)");
    }

    @Test
    @Order(7)
    @DisplayName("on a server that requires authentication, a registered browser user survives a dropped connection")
    void resumeWithAuthentication() throws Exception {
        try (WebTestServer secure = WebTestServer.start(Map.of("parley.auth.registration", "open",
                        "parley.auth.required", "true", "parley.heartbeat.resume-grace", "30s"),
                Optional.of(new MemoryMessageStore(100)), new ChatPlugin(), new HeartbeatPlugin(), new AuthPlugin());
             LineClient tcp = secure.tcp.connect()) {
            assertThat(tcp.send("REGISTER gwen :a long passphrase").reply()).isEqualTo("OK REGISTER gwen");
            assertThat(tcp.send("NICK gwen").reply()).startsWith("OK NICK gwen");
            assertThat(tcp.send("JOIN #vault").reply()).isEqualTo("OK JOIN #vault");

            alice.get(secure.url.toString());
            waiting(alice).until(ExpectedConditions.textToBePresentInElementLocated(By.id("greeting"), "Connected to"));
            waiting(alice).until(ExpectedConditions.visibilityOfElementLocated(By.id("nick"))).sendKeys("hana");
            alice.findElement(By.cssSelector("#account summary")).click();
            waiting(alice).until(ExpectedConditions.visibilityOfElementLocated(By.id("register"))).click();
            alice.findElement(By.id("login-user")).sendKeys("hana");
            alice.findElement(By.id("login-pass")).sendKeys("another passphrase");
            alice.findElement(By.id("login-go")).click();
            waiting(alice).until(ExpectedConditions.visibilityOfElementLocated(By.id("line")));
            open(alice, "#vault");

            assertThat(secure.web.dropWebSockets()).isEqualTo(1);
            tcp.send("SAY #vault :while hana was cut off").reply();
            message(alice, "while hana was cut off");
            waiting(alice).until(ExpectedConditions.textToBe(By.id("status"), "connected"));
            say(alice, "back, still hana");
            String event = "";
            for (int i = 0; i < 10 && !event.contains(" MSG "); i++) {
                event = tcp.event();
            }
            assertThat(event).endsWith("MSG #vault hana :back, still hana");
        }
    }
}
