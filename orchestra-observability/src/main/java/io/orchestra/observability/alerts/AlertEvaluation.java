package io.orchestra.observability.alerts;

import java.util.List;

/**
 * The outcome of one evaluation. Immutable.
 *
 * @param evaluatedAtEpochMillis when
 * @param transitions alerts that changed state in this evaluation (new pending, firing, resolved)
 * @param active every pending or firing alert after it
 * @param notifications notifications sent
 */
public record AlertEvaluation(long evaluatedAtEpochMillis, List<Alert> transitions, List<Alert> active, List<AlertNotification> notifications) {

  /** Copies the lists. */
  public AlertEvaluation {
    transitions = List.copyOf(transitions);
    active = List.copyOf(active);
    notifications = List.copyOf(notifications);
  }
}
