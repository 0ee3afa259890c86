package io.orchestra.benchmarks.mesh;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * {@link RouteBenchmark}'s calls timed by the calling thread's CPU time instead of the wall clock:
 * on a shared machine (other builds running) wall-clock JMH numbers include time the thread spent
 * descheduled, CPU time does not. Same setup as the benchmark (its {@code setUp}), each case warmed
 * up, then several rounds of {@code calls} calls; prints the median and the best round in ns per
 * call and the bytes allocated per call.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.orchestra.benchmarks.mesh.RouteCpuHarness [millions of calls per round] [rounds] [only the
 * cases whose name contains this]}.
 */
public final class RouteCpuHarness {
  private static volatile Object sink;

  private RouteCpuHarness() {}

  public static void main(String[] args) {
    int millions = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    String only = args.length > 2 ? args[2] : "";
    long calls = millions * 1_000_000L;
    for (boolean tracing : new boolean[] {false, true}) {
      RouteBenchmark b = new RouteBenchmark();
      b.tracing = tracing;
      b.setUp();
      try {
        run("orchestraRoute tracing=" + tracing, b::orchestraRoute, calls, rounds, only);
        if (tracing) {
          run("resilience4jSync", b::resilience4jSync, calls, rounds, only);
          run("resilience4jAsync", b::resilience4jAsync, calls, rounds, only);
        }
      } finally {
        b.tearDown();
      }
    }
  }

  private static void run(String name, Supplier<?> call, long calls, int rounds, String only) {
    if (!name.contains(only)) {
      return;
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    loop(call, calls); // warm-up: C2 compiles the loop with the call inlined
    loop(call, calls);
    double[] ns = new double[rounds];
    double bytes = 0;
    for (int r = 0; r < rounds; r++) {
      long a0 = threads.getThreadAllocatedBytes(id);
      long c0 = threads.getCurrentThreadCpuTime();
      loop(call, calls);
      long c1 = threads.getCurrentThreadCpuTime();
      long a1 = threads.getThreadAllocatedBytes(id);
      ns[r] = (c1 - c0) / (double) calls;
      bytes = (a1 - a0) / (double) calls;
    }
    double[] sorted = ns.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%-34s median %7.1f ns  best %7.1f ns  %6.1f B/call  rounds %s%n",
        name, sorted[rounds / 2], sorted[0], bytes, Arrays.toString(round(ns)));
  }

  private static void loop(Supplier<?> call, long calls) {
    Object last = null;
    for (long i = 0; i < calls; i++) {
      last = call.get();
    }
    sink = last;
  }

  private static String[] round(double[] ns) {
    String[] out = new String[ns.length];
    for (int i = 0; i < ns.length; i++) {
      out[i] = String.format("%.0f", ns[i]);
    }
    return out;
  }
}
