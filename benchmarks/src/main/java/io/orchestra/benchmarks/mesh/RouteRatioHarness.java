package io.orchestra.benchmarks.mesh;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * The ratio {@code orchestraRoute / resilience4jAsync} of {@link RouteBenchmark}, measured in
 * interleaved rounds in one JVM: on a shared VM the speed of a core drifts by 10-20 % over
 * seconds, which moves two JMH runs taken a minute apart (one benchmark after the other) more
 * than the difference being measured. Alternating short rounds of both calls exposes them to
 * the same drift, so the per-round ratio is steadier than either time. Each round is timed by
 * the thread's CPU time; the median ratio and the quartiles are printed.
 *
 * <p>Both calls run in their own loop method, so each loop sees one receiver type and C2
 * inlines the call into it as JMH would. JIT decisions still differ from one JVM to the next:
 * run several JVMs (the script in {@code docs/benchmarks.md} does).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.orchestra.benchmarks.mesh.RouteRatioHarness [tracing: true|false] [thousands of calls per
 * round] [rounds] [peer: async|traced]}: {@code traced} compares with {@code
 * resilience4jAsyncTraced} (the chain with OpenTelemetry tracing) instead of {@code
 * resilience4jAsync}.
 */
public final class RouteRatioHarness {
  private static volatile Object sink;

  private RouteRatioHarness() {}

  public static void main(String[] args) {
    boolean tracing = args.length <= 0 || Boolean.parseBoolean(args[0]);
    long calls = (args.length > 1 ? Integer.parseInt(args[1]) : 500) * 1_000L;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 31;
    boolean traced = args.length > 3 && args[3].equals("traced");
    RouteBenchmark b = new RouteBenchmark();
    b.tracing = tracing;
    b.setUp();
    try {
      for (int i = 0; i < 10; i++) { // warm-up: both loops compiled with their call inlined
        orchestra(b, calls);
        peer(b, calls, traced);
      }
      com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long id = Thread.currentThread().getId();
      double[] ours = new double[rounds];
      double[] theirs = new double[rounds];
      double[] ratios = new double[rounds];
      long bytes = 0;
      for (int r = 0; r < rounds; r++) {
        long c0 = threads.getCurrentThreadCpuTime();
        long a0 = threads.getThreadAllocatedBytes(id);
        orchestra(b, calls);
        long a1 = threads.getThreadAllocatedBytes(id);
        long c1 = threads.getCurrentThreadCpuTime();
        peer(b, calls, traced);
        long c2 = threads.getCurrentThreadCpuTime();
        bytes += a1 - a0;
        ours[r] = (c1 - c0) / (double) calls;
        theirs[r] = (c2 - c1) / (double) calls;
        ratios[r] = ours[r] / theirs[r];
      }
      System.out.printf(
          "tracing=%s ratio median %.3f (quartiles %.3f-%.3f)  orchestraRoute median %.1f ns  %s median %.1f ns  %.1f B/call%n",
          tracing,
          quantile(ratios, 0.5),
          quantile(ratios, 0.25),
          quantile(ratios, 0.75),
          quantile(ours, 0.5),
          traced ? "resilience4jAsyncTraced" : "resilience4jAsync",
          quantile(theirs, 0.5),
          bytes / (double) (calls * rounds));
    } finally {
      b.tearDown();
    }
  }

  private static void orchestra(RouteBenchmark b, long calls) {
    Object last = null;
    for (long i = 0; i < calls; i++) {
      last = b.orchestraRoute();
    }
    sink = last;
  }

  private static void peer(RouteBenchmark b, long calls, boolean traced) {
    if (traced) {
      resilience4jTraced(b, calls);
    } else {
      resilience4j(b, calls);
    }
  }

  private static void resilience4j(RouteBenchmark b, long calls) {
    Object last = null;
    for (long i = 0; i < calls; i++) {
      last = b.resilience4jAsync();
    }
    sink = last;
  }

  private static void resilience4jTraced(RouteBenchmark b, long calls) {
    Object last = null;
    for (long i = 0; i < calls; i++) {
      last = b.resilience4jAsyncTraced();
    }
    sink = last;
  }

  private static double quantile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.round(q * (sorted.length - 1))];
  }
}
