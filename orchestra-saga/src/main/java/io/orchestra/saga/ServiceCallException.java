package io.orchestra.saga;

import io.orchestra.core.transport.CallOutcome;

/**
 * A service-call step received a response outside 2xx. The {@link #status()} decides whether the
 * step is retried (5xx, gateway errors and the policy's extra status codes are; 4xx are not).
 */
public class ServiceCallException extends SagaException {
  private static final long serialVersionUID = 1L;

  private final String service;
  private final int status;

  /** A failed call to {@code service} that answered {@code status}. */
  public ServiceCallException(String service, int status, String message) {
    super(message);
    this.service = service;
    this.status = status;
  }

  /** The called service. */
  public String service() {
    return service;
  }

  /** The HTTP status code of the response. */
  public int status() {
    return status;
  }

  /** How the status classifies. */
  public CallOutcome outcome() {
    return CallOutcome.ofStatus(status);
  }
}
