package io.orchestra.observability.alerts;

import java.util.List;

/**
 * The outcome of one evaluation. Immutable.
 *
 * @param evaluatedAtEpochMillis the time the rules were evaluated at: the clock as the caller read
 *     it, or the previous evaluation's time when that is later (evaluations never go back in time)
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
