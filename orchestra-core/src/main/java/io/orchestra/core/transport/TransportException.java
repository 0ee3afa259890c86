package io.orchestra.core.transport;

/**
 * A call that produced no response: the {@link #outcome()} says which kind of failure (connect
 * failure, timeout, reset, TLS). HTTP error statuses are not exceptions; they arrive as a {@link
 * Response}.
 */
public class TransportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final CallOutcome outcome;
  private final transient Endpoint endpoint;

  /** A failure of {@code outcome} kind while calling {@code endpoint} (which may be null). */
  public TransportException(CallOutcome outcome, Endpoint endpoint, String message, Throwable cause) {
    super(message, cause);
    if (outcome == null || outcome == CallOutcome.SUCCESS || outcome == CallOutcome.CLIENT_ERROR) {
      throw new IllegalArgumentException("outcome must be a failure kind, was " + outcome);
    }
    this.outcome = outcome;
    this.endpoint = endpoint;
  }

  /** Which kind of failure this was. */
  public CallOutcome outcome() {
    return outcome;
  }

  /** The endpoint that was called, or {@code null} when unknown. */
  public Endpoint endpoint() {
    return endpoint;
  }
}
