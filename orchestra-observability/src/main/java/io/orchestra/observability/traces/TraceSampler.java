package io.orchestra.observability.traces;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.trace.TraceContext;

/**
 * Deterministic head sampling: the decision is a pure function of the trace id and the rate, so
 * every service and every engine with the same rate keeps exactly the same traces (and a service
 * with a higher rate keeps a superset). The id is mixed first, so that ids that are not random
 * (counters, 64-bit ids padded with zeros) are still sampled at the right rate.
 *
 * <p>Immutable and thread-safe; {@link #sample(long, long)} allocates nothing.
 */
public final class TraceSampler {
  private final double rate;

  /** A sampler keeping {@code rate} (in [0, 1]) of all traces. */
  public TraceSampler(double rate) {
    this.rate = Checks.inRange("samplingRate", rate, 0.0, 1.0);
  }

  /** The rate. */
  public double rate() {
    return rate;
  }

  /** Whether the trace with this 128-bit id is kept. */
  public boolean sample(long traceIdHigh, long traceIdLow) {
    if (rate >= 1.0) {
      return true;
    }
    if (rate <= 0.0) {
      return false;
    }
    long h = mix(traceIdLow ^ mix(traceIdHigh + 0x9E3779B97F4A7C15L));
    return (h >>> 11) * 0x1.0p-53 < rate;
  }

  /** Whether the trace of {@code context} is kept. */
  public boolean sample(TraceContext context) {
    return sample(context.traceIdHigh(), context.traceIdLow());
  }

  /** Whether the trace with this 32-hex-digit id is kept; false when the id is not valid hex. */
  public boolean sample(String traceIdHex) {
    if (traceIdHex == null || traceIdHex.length() != 32) {
      return false;
    }
    try {
      return sample(
          Long.parseUnsignedLong(traceIdHex.substring(0, 16), 16),
          Long.parseUnsignedLong(traceIdHex.substring(16), 16));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** SplitMix64's finalizer: a bijective, well-spread 64-bit mix. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
