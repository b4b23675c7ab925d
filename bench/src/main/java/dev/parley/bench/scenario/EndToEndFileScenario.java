package dev.parley.bench.scenario;

import dev.parley.bench.report.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What a person waits for: {@code parley send} of a file to a {@code parley receive} that is waiting, through a
 * server at a small heap, timed from the start of {@code parley send} until {@code parley receive} exits with
 * the verified file; side by side, in the same run, socat's copy of the same file over loopback (the better of
 * two). Then each command alone: {@code parley send} while the receiving process is stopped (SIGSTOP: its
 * session stays, it reads nothing), and {@code parley receive} from SIGCONT, once the file is complete on the
 * server, until it exits. Every copy starts after the previous output was deleted and {@code coldWait} passed,
 * socat's too. Runs the distribution's {@code bin/parley} as separate processes, each with its own JVM start.
 */
public final class EndToEndFileScenario {
    private final Path home;
    private final long size;
    private final Path given;
    private final String serverHeap;
    private final String socat;
    private final long coldWaitMillis;
    private final long warmupBytes;
    private final PrintStream log;
    private final List<Process> started = new ArrayList<>();

    /**
     * @param home       the distribution (holding bin/parley)
     * @param size       bytes of the random file made when {@code given} is null
     * @param given      the file to send, or null
     * @param serverHeap the server's -Xmx option, e.g. {@code -Xmx64m}
     * @param warmupBytes a file this large goes from send to receive first, untimed, so that the server's JIT
     *                    has compiled the file path (a server that has run a while has); 0: none
     */
    public EndToEndFileScenario(Path home, long size, Path given, String serverHeap, String socat, long coldWaitMillis,
                                long warmupBytes, PrintStream log) {
        if (home == null || !Files.isExecutable(home.resolve("bin/parley"))) {
            throw new IllegalArgumentException("no distribution at " + home + " (bin/parley); pass --parley-home");
        }
        this.home = home;
        this.size = size;
        this.given = given;
        this.serverHeap = serverHeap;
        this.socat = socat;
        this.coldWaitMillis = coldWaitMillis;
        this.warmupBytes = warmupBytes;
        this.log = log;
    }

    public Result run() throws Exception {
        Path work = Files.createTempDirectory("parley-bench-e2e");
        try {
            return measure(work);
        } finally {
            started.forEach(Process::destroyForcibly);
            deleteTree(work);
        }
    }

    private Result measure(Path work) throws Exception {
        Path file = given != null ? given : randomFile(work.resolve("big.bin"), size);
        long bytes = Files.size(file);
        String sha256 = sha256(file);
        int port = freePort();
        Process server = start(work.resolve("server"), work.resolve("server.log"), serverHeap
                + " -Dparley.server.port=" + port + " -Dparley.http.port=0 -Dparley.filetransfer.spool-dir="
                + work.resolve("spool"), "server");
        awaitPort(port, server);
        log.printf("server at %s on port %d; file %d bytes%n", serverHeap, port, bytes);
        if (warmupBytes > 0) {
            Path warm = randomFile(work.resolve("warmup.bin"), warmupBytes);
            Process receiving = start(work, work.resolve("receive-warmup.log"), "", "receive", "--port", "" + port,
                    "--nick", "wendy", "--count", "1", "--dir", work.resolve("in-warmup").toString());
            awaitOnline(port, "wendy");
            exit(start(work, work.resolve("send-warmup.log"), "", "send", "--port", "" + port, "--nick", "walt",
                    "--to", "wendy", warm.toString()), "parley send (warm-up)", work.resolve("send-warmup.log"));
            exit(receiving, "parley receive (warm-up)", work.resolve("receive-warmup.log"));
            deleteTree(work.resolve("in-warmup"));
            Files.delete(warm);
            log.printf("warm-up: a file of %d bytes from send to receive, untimed%n", warmupBytes);
        }

        double socat1 = socat(file, work.resolve("socat.out"));
        log.printf(Locale.ROOT, "socat: %.3f s%n", socat1);

        // End to end: the receiver waits, the clock runs from the start of parley send to the receiver's exit.
        Path inE2e = work.resolve("in-e2e");
        Process receive = start(work, work.resolve("receive-e2e.log"), "", "receive", "--port", "" + port, "--nick",
                "rita", "--count", "1", "--dir", inE2e.toString());
        awaitOnline(port, "rita");
        coldWait();
        long t0 = System.nanoTime();
        Process send = start(work, work.resolve("send-e2e.log"), "", "send", "--port", "" + port, "--nick", "sam",
                "--to", "rita", file.toString());
        exit(send, "parley send", work.resolve("send-e2e.log"));
        double sendWithReceiver = seconds(t0);
        exit(receive, "parley receive", work.resolve("receive-e2e.log"));
        double e2e = seconds(t0);
        String saved = file.getFileName().toString().replace(' ', '_');
        boolean verified = sha256.equals(sha256(inE2e.resolve(saved)));
        deleteTree(inE2e);
        log.printf(Locale.ROOT, "end to end: %.3f s (parley send exited after %.3f s), verified %s%n", e2e,
                sendWithReceiver, verified);

        double socat2 = socat(file, work.resolve("socat.out"));
        log.printf(Locale.ROOT, "socat: %.3f s%n", socat2);

        // Each alone: the receiver is stopped while the file goes up, then let go.
        Path inAlone = work.resolve("in-alone");
        Process receiver = start(work, work.resolve("receive-alone.log"), "", "receive", "--port", "" + port,
                "--nick", "rob", "--count", "1", "--read-timeout", "0", "--dir", inAlone.toString());
        awaitOnline(port, "rob");
        signal("STOP", receiver);
        coldWait();
        t0 = System.nanoTime();
        send = start(work, work.resolve("send-alone.log"), "", "send", "--port", "" + port, "--nick", "sue",
                "--to", "rob", file.toString());
        exit(send, "parley send", work.resolve("send-alone.log"));
        double sendAlone = seconds(t0);
        coldWait();
        t0 = System.nanoTime();
        signal("CONT", receiver);
        exit(receiver, "parley receive", work.resolve("receive-alone.log"));
        double receiveAlone = seconds(t0);
        verified &= sha256.equals(sha256(inAlone.resolve(saved)));
        log.printf(Locale.ROOT, "alone: parley send %.3f s, parley receive %.3f s, verified %s%n", sendAlone,
                receiveAlone, verified);

        server.destroy();
        server.waitFor(30, TimeUnit.SECONDS);
        String serverLog = Files.readString(work.resolve("server.log"));
        double socatBest = Math.min(socat1, socat2);
        double mib = bytes / 1048576.0;
        return new Result()
                .put("scenario", "file-e2e")
                .put("target", "parley")
                .put("size_bytes", bytes)
                .put("server_heap", serverHeap)
                .put("warmup_bytes", warmupBytes)
                .put("socat_1_s", round(socat1))
                .put("socat_2_s", round(socat2))
                .put("socat_best_s", round(socatBest))
                .put("socat_mib_s", round(mib / socatBest))
                .put("e2e_s", round(e2e))
                .put("e2e_vs_socat", round(e2e / socatBest))
                .put("send_with_receiver_s", round(sendWithReceiver))
                .put("send_alone_s", round(sendAlone))
                .put("send_mib_s", round(mib / sendAlone))
                .put("send_rate_vs_socat", round(socatBest / sendAlone))
                .put("receive_alone_s", round(receiveAlone))
                .put("receive_mib_s", round(mib / receiveAlone))
                .put("receive_rate_vs_socat", round(socatBest / receiveAlone))
                .put("verified", verified)
                .put("server_out_of_memory", serverLog.contains("OutOfMemoryError"))
                .put("load", loadAverage());
    }

    /** socat's loopback copy: one listener writing the file, one sender reading it; seconds until both exit. */
    private double socat(Path file, Path out) throws Exception {
        Files.deleteIfExists(out);
        coldWait();
        int port = freePort();
        Process listener = new ProcessBuilder(socat, "-u", "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr",
                "CREATE:" + out).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(listener);
        // The listener accepts one connection (a probe would be that connection): give it time to bind.
        Thread.sleep(300);
        long t0 = System.nanoTime();
        Process sender = new ProcessBuilder(socat, "-u", "OPEN:" + file, "TCP:127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(sender);
        if (sender.waitFor() != 0 || listener.waitFor() != 0) {
            throw new IOException("socat failed; is it installed (" + socat + ")?");
        }
        double s = seconds(t0);
        if (Files.size(out) != Files.size(file)) {
            throw new IOException("socat copied " + Files.size(out) + " of " + Files.size(file) + " bytes");
        }
        Files.delete(out);
        return s;
    }

    private Process start(Path dir, Path output, String javaOpts, String... args) throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/parley").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("JAVA_OPTS", javaOpts);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private static void exit(Process process, String what, Path output) throws Exception {
        if (!process.waitFor(600, TimeUnit.SECONDS)) {
            throw new IOException(what + " did not finish within 600 s; see " + output);
        }
        if (process.exitValue() != 0) {
            throw new IOException(what + " exited with " + process.exitValue() + ": " + Files.readString(output).strip());
        }
    }

    /** SIGSTOP or SIGCONT: bin/parley execs the JVM, so the process is the client itself. */
    private static void signal(String signal, Process process) throws Exception {
        if (new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    private void coldWait() throws InterruptedException {
        Thread.sleep(coldWaitMillis);
    }

    private static void awaitPort(int port, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IOException("the server exited with " + server.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("the server did not listen on port " + port + " within 60 s");
    }

    /** Asks the server, as a third client, until the nick is registered (TELL succeeds). */
    private static void awaitOnline(int port, String nick) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            out.write(("NICK probe" + System.nanoTime() % 100000 + "\n").getBytes(StandardCharsets.UTF_8));
            while (System.nanoTime() < deadline) {
                out.write(("TELL " + nick + " :are you there\n").getBytes(StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("OK TELL")) {
                        return;
                    }
                    if (line.startsWith("ERR TELL")) {
                        break;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new IOException(nick + " did not come online within 60 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path randomFile(Path file, long size) throws IOException {
        Random random = new Random(size);
        byte[] buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buffer.length) {
                random.nextBytes(buffer);
                out.write(buffer, 0, (int) Math.min(buffer.length, left));
            }
        }
        return file;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
