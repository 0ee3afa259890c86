package io.orchestra.saga;

/**
 * This node no longer owns the saga: its lease expired and another node (or a later recovery on
 * this node) took it over with a higher fencing epoch, so the journal refused this node's write.
 * The saga is not lost; its new owner continues it.
 */
public class SagaLeaseLostException extends SagaException {
  private static final long serialVersionUID = 1L;

  /** Saga {@code sagaId} is no longer owned at {@code epoch}. */
  public SagaLeaseLostException(String sagaId, long epoch) {
    super("lease of saga " + sagaId + " at epoch " + epoch + " was taken over; write refused");
  }
}
