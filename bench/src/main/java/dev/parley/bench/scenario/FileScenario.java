package dev.parley.bench.scenario;

import dev.parley.bench.report.Result;
import dev.parley.bench.wire.Target;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * A file through Parley's spool: the sender OFFERs it and uploads pipelined CHUNKs (at most {@code window}
 * unacknowledged), the recipient FETCHes it. Each hop's throughput is reported in MiB/s. The file's bytes are
 * a 1 MiB random block repeated, generated in memory, so the client's disk plays no part; the block is a direct
 * buffer, so the load tool writes it to the socket without the JDK's copy of heap arrays (it shares two cores
 * with the server). A smaller file goes up and back first, untimed, so the server's JIT has compiled the paths
 * the measured file takes (a JVM's warm-up is not what the hop's throughput should measure).
 */
public final class FileScenario {
    private static final int BLOCK = 1 << 20;

    private final Endpoint endpoint;
    private final long sizeBytes;
    private final long warmupBytes;
    private final int chunkBytes;
    private final int window;
    private final boolean verify;
    private final PrintStream out;

    public FileScenario(Endpoint endpoint, long sizeBytes, long warmupBytes, int chunkBytes, int window, boolean verify,
                        PrintStream out) {
        if (endpoint.target() != Target.PARLEY) {
            throw new IllegalArgumentException("the file scenario speaks Parley's file transfer only; "
                    + "compare.sh measures socat for the baseline");
        }
        if (sizeBytes < 1 || sizeBytes > (4L << 30)) {
            throw new IllegalArgumentException("file size must be 1 byte to 4 GiB: " + sizeBytes);
        }
        if (warmupBytes < 0 || warmupBytes > (4L << 30)) {
            throw new IllegalArgumentException("warm-up size must be 0 (none) to 4 GiB: " + warmupBytes);
        }
        if (chunkBytes < 1 || chunkBytes > BLOCK) {
            throw new IllegalArgumentException("chunk size must be 1 byte to 1 MiB (the server's payload limit): " + chunkBytes);
        }
        if (window < 1 || window > 64) {
            throw new IllegalArgumentException("window must be 1-64 chunks: " + window);
        }
        this.endpoint = endpoint;
        this.sizeBytes = sizeBytes;
        this.warmupBytes = warmupBytes;
        this.chunkBytes = chunkBytes;
        this.window = window;
        this.verify = verify;
        this.out = out;
    }

    public Result run() throws IOException {
        byte[] random = new byte[BLOCK];
        new Random(42).nextBytes(random);
        ByteBuffer block = ByteBuffer.allocateDirect(BLOCK).put(random).flip();
        if (warmupBytes > 0) {
            out.printf("bench: warm-up: a file of %d bytes up and back (untimed)...%n", warmupBytes);
            transfer(block, sha256(random, warmupBytes), warmupBytes, false);
        }
        String sha = sha256(random, sizeBytes);
        out.printf("bench: file of %d bytes, upload in %d-byte chunks (window %d)...%n", sizeBytes, chunkBytes, window);
        Hops hops = transfer(block, sha, sizeBytes, verify);
        double mib = sizeBytes / (double) BLOCK;
        return new Result()
                .put("scenario", "file")
                .put("target", "parley")
                .put("size_bytes", sizeBytes)
                .put("warmup_bytes", warmupBytes)
                .put("chunk_bytes", chunkBytes)
                .put("window", window)
                .put("upload_s", hops.uploadNanos() / 1e9)
                .put("upload_mib_s", mib / (hops.uploadNanos() / 1e9))
                .put("download_s", hops.fetchNanos() / 1e9)
                .put("download_mib_s", mib / (hops.fetchNanos() / 1e9))
                .put("verified", hops.verified());
    }

    private record Hops(long uploadNanos, long fetchNanos, boolean verified) {}

    /** One file of {@code size} bytes up (OFFER, CHUNKs) and back (FETCH), each hop timed. */
    private Hops transfer(ByteBuffer block, String sha, long size, boolean check) throws IOException {
        String tag = Long.toString(System.nanoTime() % 1_000_000, 36);
        try (WireStream sender = new WireStream(endpoint.address());
             WireStream receiver = new WireStream(endpoint.address())) {
            register(sender, "fs" + tag);
            register(receiver, "fr" + tag);
            sender.writeLine("OFFER fr" + tag + " bench.bin " + size + " " + sha);
            String offered = expect(sender, "OK OFFER ");
            String id = offered.split(" ")[2];

            long uploadStart = System.nanoTime();
            long offset = 0;
            int outstanding = 0;
            while (offset < size || outstanding > 0) {
                if (offset < size && outstanding < window) {
                    int n = (int) Math.min(chunkBytes, size - offset);
                    sender.writeLine("@size=" + n + " CHUNK " + id + " " + offset);
                    writeBytes(sender, block, offset, n);
                    offset += n;
                    outstanding++;
                } else {
                    expect(sender, "OK CHUNK ");
                    outstanding--;
                }
            }
            long uploadNanos = System.nanoTime() - uploadStart;

            out.println("bench: fetching it back...");
            MessageDigest digest = check ? newDigest() : null;
            long fetchStart = System.nanoTime();
            receiver.writeLine("FETCH " + id);
            long received = 0;
            while (true) {
                String line = receiver.readLine();
                if (line.startsWith("@size=") && line.contains(" CHUNK ")) {
                    long n = Long.parseLong(line.substring(6, line.indexOf(' ')));
                    receiver.skip(n, digest);
                    received += n;
                } else if (line.startsWith("OK FETCH ")) {
                    break;
                } else if (line.startsWith("ERR ") || line.startsWith("BYE ")) {
                    throw new IOException("FETCH failed: " + line);
                }
            }
            long fetchNanos = System.nanoTime() - fetchStart;
            if (received != size) {
                throw new IOException("FETCH returned " + received + " bytes of " + size);
            }
            boolean verified = digest != null && HexFormat.of().formatHex(digest.digest()).equals(sha);
            if (digest != null && !verified) {
                throw new IOException("FETCH returned bytes whose SHA-256 differs from the upload's");
            }
            return new Hops(uploadNanos, fetchNanos, verified);
        }
    }

    private static void register(WireStream stream, String nick) throws IOException {
        stream.writeLine("NICK " + nick);
        expect(stream, "OK NICK ");
    }

    /** Reads until a line with the prefix (skipping HELLO and events); an ERR or BYE fails the run. */
    private static String expect(WireStream stream, String prefix) throws IOException {
        while (true) {
            String line = stream.readLine();
            if (line.startsWith(prefix)) {
                return line;
            }
            if (line.startsWith("ERR ") || line.startsWith("BYE ")) {
                throw new IOException("expected '" + prefix.trim() + "', got: " + line);
            }
        }
    }

    private static void writeBytes(WireStream stream, ByteBuffer block, long offset, int n) throws IOException {
        int at = (int) (offset % BLOCK);
        while (n > 0) {
            int take = Math.min(n, BLOCK - at);
            stream.write(block.slice(at, take));
            n -= take;
            at = 0;
        }
    }

    static String sha256(byte[] block, long size) {
        MessageDigest digest = newDigest();
        for (long done = 0; done < size; done += block.length) {
            digest.update(block, 0, (int) Math.min(block.length, size - done));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
