package io.orchestra.observability.alerts;

import java.util.List;
import java.util.Map;

/**
 * One notification: the alerts of one group that changed state in one evaluation (or that are
 * re-notified after the repeat interval). Immutable and Jackson-serializable (the webhook body).
 *
 * @param groupKey the group's label values, such as {@code service=orders,severity=CRITICAL}: the
 *     {@code groupBy} labels in key order, {@code %}, {@code ,} and {@code =} inside a key or value
 *     percent-encoded ({@code %25}, {@code %2C}, {@code %3D}), so that different groups never
 *     share a key
 * @param groupLabels the grouping labels
 * @param status {@code firing} when any alert of the group fires, else {@code resolved}
 * @param alerts the alerts
 * @param sentAtEpochMillis when it was sent
 */
public record AlertNotification(
    String groupKey, Map<String, String> groupLabels, String status, List<Alert> alerts, long sentAtEpochMillis) {

  /** Copies the collections. */
  public AlertNotification {
    groupLabels = Map.copyOf(groupLabels);
    alerts = List.copyOf(alerts);
  }
}
