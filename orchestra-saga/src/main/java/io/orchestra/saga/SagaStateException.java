package io.orchestra.saga;

/** An operator action that does not fit the saga's state (nothing dead-lettered, still running). */
public class SagaStateException extends SagaException {
  private static final long serialVersionUID = 1L;

  /** A state conflict with a message. */
  public SagaStateException(String message) {
    super(message);
  }
}
