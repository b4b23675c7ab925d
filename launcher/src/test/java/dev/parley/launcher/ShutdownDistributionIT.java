package dev.parley.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to the packaged server under load loses nothing that was acknowledged (issue #22, finding 1). */
@DisplayName("SIGTERM to the distribution under load")
class ShutdownDistributionIT {
    private final List<Socket> sockets = new ArrayList<>();
    private ParleyProcess server;

    @TempDir
    Path tmp;

    @AfterEach
    void cleanUp() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.process.destroyForcibly();
        }
    }

    @Test
    @DisplayName("every SAY the publisher got OK for reached the reading member before its BYE SHUTDOWN")
    void acknowledgedSaysAreDelivered() throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        ProcessBuilder builder = new ProcessBuilder(ParleyProcess.DIST.resolve("bin/parley").toString(), "server",
                "--port", "0").directory(cwd.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_OPTS", "-Xmx256m -Dparley.http.port=0 " + ParleyProcess.privateStore(cwd));
        server = new ParleyProcess(builder.start());
        int port = server.awaitPort();

        Socket member = connect(port);
        InputStream memberIn = new BufferedInputStream(member.getInputStream());
        member.getOutputStream().write("NICK reader\nJOIN #stop\n".getBytes(StandardCharsets.US_ASCII));
        while (!readLine(memberIn).startsWith("OK JOIN")) {
            // HELLO, OK NICK
        }
        Socket publisher = connect(port);
        InputStream publisherIn = new BufferedInputStream(publisher.getInputStream());
        StringBuilder says = new StringBuilder("NICK writer\nJOIN #stop\n");
        int n = 40_000;
        for (int i = 0; i < n; i++) {
            says.append("@id=").append(i).append(" SAY #stop :m").append(i).append('\n');
        }
        byte[] bytes = says.toString().getBytes(StandardCharsets.US_ASCII);
        CompletableFuture.runAsync(() -> {
            try {
                publisher.getOutputStream().write(bytes);
            } catch (IOException stopped) {
                // the server stopped reading and closed
            }
        });
        CountDownLatch some = new CountDownLatch(1);
        CompletableFuture<List<String>> acknowledged = CompletableFuture.supplyAsync(() -> {
            List<String> ids = new ArrayList<>();
            try {
                for (String line; (line = readLine(publisherIn)) != null; ) {
                    if (line.startsWith("BYE ")) {
                        break;
                    }
                    if (line.startsWith("@id=") && line.contains(" OK SAY")) {
                        ids.add("m" + line.substring(4, line.indexOf(' ')));
                        if (ids.size() == 500) {
                            some.countDown();
                        }
                    }
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
            return ids;
        });
        CompletableFuture<Set<String>> delivered = CompletableFuture.supplyAsync(() -> {
            Set<String> texts = new LinkedHashSet<>();
            try {
                for (String line; (line = readLine(memberIn)) != null; ) {
                    if (line.startsWith("BYE ")) {
                        assertThat(line).startsWith("BYE SHUTDOWN");
                        return texts;
                    }
                    int msg = line.indexOf(" MSG #stop writer :");
                    if (msg >= 0) {
                        texts.add(line.substring(msg + " MSG #stop writer :".length()));
                    }
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
            throw new AssertionError("the member's connection ended without BYE SHUTDOWN");
        });
        assertThat(some.await(60, TimeUnit.SECONDS)).as("500 SAYs acknowledged").isTrue();
        server.process.destroy(); // SIGTERM
        List<String> ok = acknowledged.get(30, TimeUnit.SECONDS);
        Set<String> got = delivered.get(30, TimeUnit.SECONDS);
        System.out.printf("SIGTERM under load: %d SAYs acknowledged, %d delivered before BYE SHUTDOWN%n",
                ok.size(), got.size());
        assertThat(got).as("delivered to the member before its BYE SHUTDOWN").containsAll(ok);
        assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.process.exitValue()).isZero();
    }

    private Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(30_000);
        sockets.add(s);
        return s;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
