package io.orchestra.saga;

/** {@code execute} was given a saga id that is already in the journal. Nothing was written. */
public class SagaAlreadyExistsException extends SagaException {
  private static final long serialVersionUID = 1L;

  /** Saga {@code sagaId} exists. */
  public SagaAlreadyExistsException(String sagaId) {
    super("saga already exists: " + sagaId);
  }
}
