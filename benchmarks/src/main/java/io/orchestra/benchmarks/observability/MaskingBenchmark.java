package io.orchestra.benchmarks.observability;

import io.orchestra.observability.logs.SensitiveDataMasker;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Masking throughput on one core over a corpus of typical log lines (logfmt, JSON, text; about one
 * line in four carries an e-mail, card, token, password or key). The {@code bytes} aux counter is
 * characters masked per second: divide by 1e6 for MB/s (the corpus is ASCII).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Thread)
public class MaskingBenchmark {
  @Param({"mixed", "clean"})
  public String corpus;

  private String[] lines;
  private int next;

  /** Characters processed. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Bytes {
    public long bytes;
  }

  @Setup(Level.Trial)
  public void setUp() {
    String[] clean = {
      "ts=2026-01-01T12:00:00.123Z level=info msg=\"request served\" method=GET path=/orders/12345 status=200 duration_ms=12.7 trace_id=4bf92f3577b34da6a3ce929d0e0e4736",
      "{\"timestamp\":\"2026-01-01T12:00:00.456Z\",\"level\":\"INFO\",\"logger\":\"io.shop.Checkout\",\"message\":\"cart checked out with 3 items\",\"cart_id\":\"c-98812\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}",
      "2026-01-01 12:00:01,002 WARN  [pool-3-thread-7] io.shop.Inventory - stock for sku 88123 below threshold (4 left), reordering from warehouse eu-west",
      "ts=2026-01-01T12:00:02Z level=debug msg=\"cache refresh\" region=eu entries=18234 took=81ms hit_ratio=0.93",
    };
    String[] sensitive = {
      "ts=2026-01-01T12:00:03Z level=error msg=\"payment declined\" email=jane.doe@example.com card=4111111111111111 status=402",
      "{\"level\":\"warn\",\"message\":\"login retry\",\"user\":\"bob\",\"password\":\"hunter2\",\"headers\":\"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl\"}",
    };
    if (corpus.equals("clean")) {
      lines = clean;
    } else {
      lines = new String[] {clean[0], clean[1], sensitive[0], clean[2], clean[3], clean[0], sensitive[1], clean[1]};
    }
  }

  @Benchmark
  public String mask(Bytes bytes) {
    String line = lines[(next++ & Integer.MAX_VALUE) % lines.length];
    bytes.bytes += line.length();
    return SensitiveDataMasker.mask(line);
  }
}
