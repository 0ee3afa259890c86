package io.orchestra.saga.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.orchestra.core.transport.Headers;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.core.transport.ServiceClient;
import io.orchestra.saga.SagaHeaders;
import io.orchestra.saga.StepContext;
import java.util.concurrent.CompletionStage;

/** The context of one attempt. Not public API. */
final class StepContextImpl<D> implements StepContext<D> {
  private final SagaRun<D> run;
  private final int step;
  private final int attempt;
  private final boolean compensating;
  private final D data;
  private final String dataJson;
  private final long attemptTimeoutNanos;
  private String key;
  private Headers headers;
  private JsonNode tree;

  StepContextImpl(
      SagaRun<D> run,
      int step,
      int attempt,
      boolean compensating,
      D data,
      String dataJson,
      long attemptTimeoutNanos) {
    this.run = run;
    this.step = step;
    this.attempt = attempt;
    this.compensating = compensating;
    this.data = data;
    this.dataJson = dataJson;
    this.attemptTimeoutNanos = attemptTimeoutNanos;
  }

  @Override
  public String sagaId() {
    return run.sagaId();
  }

  @Override
  public String stepName() {
    return run.saga.stepNames.get(step);
  }

  @Override
  public int stepIndex() {
    return step;
  }

  @Override
  public String idempotencyKey() {
    String k = key;
    if (k == null) {
      k = run.sagaId() + "/" + stepName() + (compensating ? "/compensate" : "");
      key = k;
    }
    return k;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public boolean compensating() {
    return compensating;
  }

  @Override
  public D data() {
    return data;
  }

  @Override
  public Headers headers() {
    Headers h = headers;
    if (h == null) {
      h =
          Headers.of(
              SagaHeaders.SAGA_ID, sagaId(),
              SagaHeaders.STEP_NAME, stepName(),
              SagaHeaders.SAGA_ACTION, compensating ? "compensate" : "forward",
              SagaHeaders.IDEMPOTENCY_KEY, idempotencyKey());
      headers = h;
    }
    return h;
  }

  @Override
  public CompletionStage<Response> call(String service, Request request) {
    ServiceClient client = run.engine.serviceClient;
    if (client == null) {
      throw new IllegalStateException(
          "step " + stepName() + " calls service " + service + " but the orchestrator has no ServiceClient");
    }
    Headers merged = request.headers();
    Headers saga = headers();
    for (String name : new String[] {
      SagaHeaders.SAGA_ID, SagaHeaders.STEP_NAME, SagaHeaders.SAGA_ACTION, SagaHeaders.IDEMPOTENCY_KEY
    }) {
      merged = merged.with(name, saga.get(name));
    }
    Request.Builder b = request.toBuilder().headers(merged);
    if (request.timeoutNanos() == 0 && attemptTimeoutNanos > 0) {
      b.timeoutNanos(attemptTimeoutNanos);
    }
    return client.call(service, b.build());
  }

  /** The data JSON this attempt sees. */
  String dataJson() {
    return dataJson;
  }

  /** The data as a JSON tree (for templates), parsed once. */
  JsonNode dataTree() {
    JsonNode t = tree;
    if (t == null) {
      t = run.engine.dataCodec.tree(dataJson);
      tree = t;
    }
    return t;
  }

  /** Resolves a template placeholder. */
  JsonNode resolve(String name) {
    switch (name) {
      case "saga.id":
        return TextNode.valueOf(sagaId());
      case "saga.step":
        return TextNode.valueOf(stepName());
      case "saga.idempotencyKey":
        return TextNode.valueOf(idempotencyKey());
      default:
        return Templates.at(dataTree(), name);
    }
  }

  DataCodec codec() {
    return run.engine.dataCodec;
  }

  Class<D> dataType() {
    return run.saga.definition.dataType();
  }
}
