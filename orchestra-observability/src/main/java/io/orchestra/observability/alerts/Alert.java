package io.orchestra.observability.alerts;

import io.orchestra.observability.Severity;
import java.util.Map;

/**
 * One alert instance (one rule on one service), with the seed's fields ({@code ruleId,
 * serviceName, severity, message, condition, firedAt}). Immutable: every state change yields a
 * new instance.
 *
 * @param ruleId the rule
 * @param serviceName the service
 * @param severity from the rule
 * @param message from the rule
 * @param condition the rule's condition as text
 * @param state pending, firing or resolved
 * @param value the value at the last evaluation
 * @param activeSinceEpochMillis when the condition started to hold
 * @param firedAtEpochMillis when it fired, 0 before
 * @param resolvedAtEpochMillis when it resolved, 0 before
 * @param labels rule labels plus {@code service}, {@code severity} and {@code rule}
 * @param evidence evidence gathered when it fired
 */
public record Alert(
    String ruleId,
    String serviceName,
    Severity severity,
    String message,
    String condition,
    AlertState state,
    double value,
    long activeSinceEpochMillis,
    long firedAtEpochMillis,
    long resolvedAtEpochMillis,
    Map<String, String> labels,
    AlertEvidence evidence) {

  /** Copies the labels. */
  public Alert {
    labels = Map.copyOf(labels);
  }

  /** The de-duplication key: rule and service. */
  public String fingerprint() {
    return ruleId + "/" + serviceName;
  }
}
