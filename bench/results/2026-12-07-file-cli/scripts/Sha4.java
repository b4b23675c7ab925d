import java.security.MessageDigest;
import java.util.concurrent.*;
import java.lang.management.*;
public class Sha4 {
  public static void main(String[] a) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    ExecutorService ex = Executors.newSingleThreadExecutor();
    byte[] src = new byte[256*1024]; new java.util.Random(1).nextBytes(src);
    int behind = Integer.parseInt(a[1]);
    for (int round = 0; round < 3; round++) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      long[] hc = new long[1];
      long t0 = System.nanoTime();
      long c0 = mx.getCurrentThreadCpuTime();
      CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
      java.util.ArrayDeque<CompletableFuture<Void>> q = new java.util.ArrayDeque<>();
      byte[][] pool = new byte[behind + 2][256*1024];
      for (int i = 0; i < 4096; i++) {
        byte[] b = a[0].equals("fresh") ? src.clone() : pool[i % pool.length];
        if (!a[0].equals("fresh")) System.arraycopy(src, 0, b, 0, b.length);
        while (!q.isEmpty() && q.peekFirst().isDone()) q.removeFirst();
        if (q.size() >= behind) q.removeFirst().join();
        last = last.thenRunAsync(() -> { long s = mx.getCurrentThreadCpuTime(); d.update(b); hc[0] += mx.getCurrentThreadCpuTime() - s; }, ex); q.addLast(last);
      }
      last.join(); d.digest();
      System.out.printf("%s behind %d: %.3f s wall, producer cpu %.3f s, hash cpu %.3f s%n", a[0], behind, (System.nanoTime() - t0) / 1e9, (mx.getCurrentThreadCpuTime()-c0)/1e9, hc[0]/1e9);
    }
    ex.shutdown();
  }
}
