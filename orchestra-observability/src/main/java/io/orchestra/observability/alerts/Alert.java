package io.orchestra.observability.alerts;

import io.orchestra.observability.Severity;
import io.orchestra.observability.internal.KeyText;
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

  /**
   * The de-duplication key as text: {@code rule/service}, with {@code %} and {@code /} inside
   * either part percent-encoded ({@code %25}, {@code %2F}), so that no two rule and service pairs
   * share one: rule {@code a/b} on service {@code c} is {@code a%2Fb/c}, rule {@code a} on service
   * {@code b/c} is {@code a/b%2Fc}. Ids and names without those characters read as before.
   */
  public String fingerprint() {
    return KeyText.escape(ruleId, "/") + "/" + KeyText.escape(serviceName, "/");
  }
}
