package io.orchestra.observability.metrics;

/** The shape of an anomaly. */
public enum AnomalyKind {
  /** A value far above the baseline. */
  SPIKE,
  /** A value far below the baseline. */
  DROP,
  /** Several consecutive values on the same side: the series moved to a new level. */
  LEVEL_SHIFT
}
