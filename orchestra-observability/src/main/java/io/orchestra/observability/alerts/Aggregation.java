package io.orchestra.observability.alerts;

/** How a metric rule reduces the windows it covers to one number. */
public enum Aggregation {
  /** Mean of all observations. */
  AVG,
  /** Sum of all observations (for counters: the increase). */
  SUM,
  /** Smallest observation. */
  MIN,
  /** Largest observation. */
  MAX,
  /** The latest observation. */
  LAST,
  /** Number of observations. */
  COUNT,
  /** Sum per second of the rule's window. */
  RATE,
  /** Median (distribution metrics). */
  P50,
  /** 90th percentile (distribution metrics). */
  P90,
  /** 95th percentile (distribution metrics). */
  P95,
  /** 99th percentile (distribution metrics). */
  P99
}
