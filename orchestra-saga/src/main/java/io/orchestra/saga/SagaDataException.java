package io.orchestra.saga;

/**
 * Saga data that cannot be written to JSON, or cannot be read back into its type (so that a
 * recovered saga could not continue), or a template placeholder with no value in the data.
 * Thrown by {@code execute} before anything is written.
 */
public class SagaDataException extends SagaException {
  private static final long serialVersionUID = 1L;

  /** A data problem with a message and cause. */
  public SagaDataException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A data problem with a message. */
  public SagaDataException(String message) {
    super(message);
  }
}
