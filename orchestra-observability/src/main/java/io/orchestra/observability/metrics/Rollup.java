package io.orchestra.observability.metrics;

/**
 * One roll-up window of one series. Quantiles are NaN for counters and gauges (only
 * distributions keep a sketch); their error is bounded by the configured relative error.
 * Immutable.
 *
 * @param levelMillis the aggregation level (window length) in milliseconds
 * @param startEpochMillis window start (aligned to a multiple of the level since the epoch)
 * @param count observations (for sink counters and gauges: harvests)
 * @param sum sum of observations (for counters: the increase within the window)
 * @param min smallest observation, NaN when empty
 * @param max largest observation, NaN when empty
 * @param last the latest observation, NaN when empty
 * @param p50 median
 * @param p90 90th percentile
 * @param p95 95th percentile
 * @param p99 99th percentile
 */
public record Rollup(
    long levelMillis,
    long startEpochMillis,
    long count,
    double sum,
    double min,
    double max,
    double last,
    double p50,
    double p90,
    double p95,
    double p99) {

  /** Exclusive end of the window. */
  public long endEpochMillis() {
    return startEpochMillis + levelMillis;
  }

  /** Mean of the observations, NaN when empty. */
  public double mean() {
    return count == 0 ? Double.NaN : sum / count;
  }
}
