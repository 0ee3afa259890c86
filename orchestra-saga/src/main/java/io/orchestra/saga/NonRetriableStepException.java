package io.orchestra.saga;

/**
 * Thrown (or used to complete a stage exceptionally) by a step or compensation to fail at once,
 * without retries: a definite "no" from the participant, such as insufficient funds. A definite
 * failure of a compensatable step means the step had no effect, so it is not compensated itself.
 */
public class NonRetriableStepException extends SagaException {
  private static final long serialVersionUID = 1L;

  /** A definite failure with a message. */
  public NonRetriableStepException(String message) {
    super(message);
  }

  /** A definite failure with a message and a cause. */
  public NonRetriableStepException(String message, Throwable cause) {
    super(message, cause);
  }
}
