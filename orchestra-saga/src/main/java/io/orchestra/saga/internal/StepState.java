package io.orchestra.saga.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.orchestra.saga.CompensationStatus;
import io.orchestra.saga.StepStatus;

/** The state of one step inside {@link SagaState}; guarded by the saga's lock. Not public API. */
@JsonAutoDetect(
    fieldVisibility = Visibility.ANY,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
public final class StepState {
  StepStatus status = StepStatus.PENDING;
  int attempts;
  String error;
  String outcome;
  long startedAt;
  long finishedAt;
  CompensationStatus compensation = CompensationStatus.NONE;
  int compensationAttempts;
  String compensationError;

  StepState() {}

  /** Forward status. */
  public StepStatus status() {
    return status;
  }

  /** Forward attempts so far. */
  public int attempts() {
    return attempts;
  }

  /** Last forward error, or null. */
  public String error() {
    return error;
  }

  /** Outcome of the last forward failure, or null. */
  public String outcome() {
    return outcome;
  }

  /** Compensation status. */
  public CompensationStatus compensation() {
    return compensation;
  }

  /** Compensation attempts so far. */
  public int compensationAttempts() {
    return compensationAttempts;
  }

  /** Last compensation error, or null. */
  public String compensationError() {
    return compensationError;
  }
}
