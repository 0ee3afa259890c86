package io.orchestra.saga;

/** Base class of the unchecked exceptions of orchestra-saga. */
public class SagaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public SagaException(String message) {
    super(message);
  }

  /** An exception with a message and a cause. */
  public SagaException(String message, Throwable cause) {
    super(message, cause);
  }
}
