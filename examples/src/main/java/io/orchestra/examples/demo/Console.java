package io.orchestra.examples.demo;

import io.orchestra.core.time.Ticker;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The demo's output: one line per phase, prefixed with the time since the start, and indented
 * detail lines under it. Thread-safe (each line is one {@code println}).
 */
final class Console {
  private final PrintStream out;
  private final Ticker ticker;
  private final long start;

  Console(PrintStream out, Ticker ticker) {
    this.out = out;
    this.ticker = ticker;
    this.start = ticker.read();
  }

  /** A phase line: {@code [  1.2s] placement  8 replicas placed ...}. */
  void phase(String phase, String format, Object... args) {
    out.println(String.format(Locale.ROOT, "[%5.1fs] %-12s %s", seconds(), phase, String.format(Locale.ROOT, format, args)));
  }

  /** A detail line under the current phase. */
  void detail(String format, Object... args) {
    out.println("                      " + String.format(Locale.ROOT, format, args));
  }

  /** A line without prefix (tables). */
  void raw(String line) {
    out.println(line);
  }

  /** Seconds since the demo started. */
  double seconds() {
    return (ticker.read() - start) / 1e9;
  }
}
