package io.orchestra.saga;

/** An operator action named a saga id that the journal does not know. */
public class SagaNotFoundException extends SagaException {
  private static final long serialVersionUID = 1L;

  private final String sagaId;

  /** No saga {@code sagaId}. */
  public SagaNotFoundException(String sagaId) {
    super("saga not found: " + sagaId);
    this.sagaId = sagaId;
  }

  /** The unknown id. */
  public String sagaId() {
    return sagaId;
  }
}
