package io.orchestra.observability.dashboard;

import java.util.List;
import java.util.Map;

/**
 * One metric series at one aggregation level over the range. Immutable.
 *
 * @param metric the metric name
 * @param labels the series labels other than service, environment and cluster
 * @param levelMillis the aggregation level
 * @param points the windows, oldest first
 * @param direction {@code up}, {@code down} or {@code flat} (last point against the first, 5%
 *     dead band)
 * @param changePercent last point against the first, in percent (NaN when undefined)
 */
public record Trend(String metric, Map<String, String> labels, long levelMillis, List<TrendPoint> points, String direction, double changePercent) {

  /** Copies the collections. */
  public Trend {
    labels = Map.copyOf(labels);
    points = List.copyOf(points);
  }
}
