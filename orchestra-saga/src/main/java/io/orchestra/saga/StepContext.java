package io.orchestra.saga;

import io.orchestra.core.transport.Headers;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import java.util.concurrent.CompletionStage;

/**
 * What a step or compensation sees when it runs: the saga and step identity, the idempotency key,
 * the attempt number and the saga data. Created by the orchestrator for one attempt; safe to pass
 * to other threads, not meant to be kept after the attempt.
 *
 * @param <D> the saga data type
 */
public interface StepContext<D> {

  /** The saga id. */
  String sagaId();

  /** The step name. */
  String stepName();

  /** The 0-based position of the step in its definition. */
  int stepIndex();

  /**
   * The key participants de-duplicate on: the same for every attempt of this step (or of its
   * compensation) of this saga, across retries, recoveries and operator retries.
   */
  String idempotencyKey();

  /**
   * The attempt number, 0 for the first. Numbering continues after a recovery, so a value above 0
   * means an earlier attempt may have taken effect.
   */
  int attempt();

  /** Whether this is the compensation of the step rather than the step itself. */
  boolean compensating();

  /**
   * The saga data: for a step, the data as the previous steps left it; for a compensation, the
   * saga's data when compensation began. Treat it as immutable and return a new value from the
   * step; a retry gets a fresh copy read back from the journal's JSON.
   */
  D data();

  /** The saga headers ({@link SagaHeaders}) for this step, to add to calls made by hand. */
  Headers headers();

  /**
   * Calls {@code service} through the orchestrator's {@link io.orchestra.core.transport.ServiceClient}
   * with the saga headers added to {@code request}.
   *
   * @throws IllegalStateException if the orchestrator has no service client
   */
  CompletionStage<Response> call(String service, Request request);
}
