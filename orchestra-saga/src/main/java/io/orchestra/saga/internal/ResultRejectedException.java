package io.orchestra.saga.internal;

import io.orchestra.saga.SagaException;

/**
 * A step's action succeeded but its result cannot be used (not serializable, not mergeable). The
 * participant has acted, so the failure counts as uncertain: the step is compensated too. Not
 * retried. Not public API.
 */
final class ResultRejectedException extends SagaException {
  private static final long serialVersionUID = 1L;

  ResultRejectedException(String message) {
    super(message);
  }
}
