package io.orchestra.core.time;

/**
 * A monotonic nanosecond time source, for measuring elapsed time and computing deadlines.
 *
 * <p>Every Orchestra engine takes its {@code Ticker} from the outside, so tests and simulations
 * run on {@link VirtualTime} instead of the machine's clock. Values are only meaningful as
 * differences between two reads of the same ticker.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Ticker {

  /** Returns the current reading in nanoseconds, from an arbitrary fixed origin. */
  long read();

  /** The machine's monotonic clock ({@link System#nanoTime()}). */
  static Ticker system() {
    return SystemTime.TICKER;
  }
}
