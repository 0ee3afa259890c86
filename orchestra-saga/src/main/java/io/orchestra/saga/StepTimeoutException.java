package io.orchestra.saga;

/**
 * One attempt of a step or compensation did not finish within its timeout (the step timeout, or
 * what was left of the saga's total timeout). The attempt's effect, if any, is unknown.
 */
public class StepTimeoutException extends SagaException {
  private static final long serialVersionUID = 1L;

  /** A timeout with a message naming the step and the time allowed. */
  public StepTimeoutException(String message) {
    super(message);
  }
}
