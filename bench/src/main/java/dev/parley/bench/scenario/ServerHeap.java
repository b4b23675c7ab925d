package dev.parley.bench.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The live heap of a JVM on this machine, through the JDK's own tools: {@code jcmd <pid> GC.run} (so that
 * garbage does not count), then {@code jstat -gc <pid>}, whose used-space columns (S0U, S1U, EU, OU) add up
 * to what the heap holds. -1 when the tools are missing or the process is not a JVM of this user.
 */
final class ServerHeap {
    private ServerHeap() {
    }

    static long usedBytes(long pid) {
        try {
            run("jcmd", Long.toString(pid), "GC.run");
            String[] lines = run("jstat", "-gc", Long.toString(pid)).strip().split("\n");
            if (lines.length < 2) {
                return -1;
            }
            return parseUsedKib(lines[0], lines[1]) * 1024;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Sum of the S0U, S1U, EU and OU columns of {@code jstat -gc}, in KiB. */
    static long parseUsedKib(String header, String values) {
        String[] names = header.trim().split("\\s+");
        String[] numbers = values.trim().split("\\s+");
        double kib = 0;
        for (int i = 0; i < names.length && i < numbers.length; i++) {
            if (names[i].equals("S0U") || names[i].equals("S1U") || names[i].equals("EU") || names[i].equals("OU")) {
                kib += Double.parseDouble(numbers[i]);
            }
        }
        return (long) kib;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
