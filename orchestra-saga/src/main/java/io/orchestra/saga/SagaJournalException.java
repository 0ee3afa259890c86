package io.orchestra.saga;

/**
 * The journal failed in a way that retrying will not fix (a transient outage is waited out, not
 * reported). The saga stops on this node at its last durable state and is resumed by recovery.
 */
public class SagaJournalException extends SagaException {
  private static final long serialVersionUID = 1L;

  /** A journal failure. */
  public SagaJournalException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A journal failure without a cause. */
  public SagaJournalException(String message) {
    super(message);
  }
}
