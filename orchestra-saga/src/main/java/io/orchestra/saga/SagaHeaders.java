package io.orchestra.saga;

/**
 * The headers every service call of a saga carries, so participants can correlate and
 * de-duplicate. Java-function steps see the same values on their {@link StepContext}.
 */
public final class SagaHeaders {
  private SagaHeaders() {}

  /** The saga id. */
  public static final String SAGA_ID = "X-Saga-ID";

  /** The step name. */
  public static final String STEP_NAME = "X-Step-Name";

  /** {@code forward} for a step, {@code compensate} for its compensation. */
  public static final String SAGA_ACTION = "X-Saga-Action";

  /**
   * A key that is the same for every attempt of one step (or one compensation) of one saga, across
   * retries, recoveries on other nodes and operator retries: {@code <sagaId>/<step>} and {@code
   * <sagaId>/<step>/compensate}.
   */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
}
