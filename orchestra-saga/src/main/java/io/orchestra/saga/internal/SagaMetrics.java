package io.orchestra.saga.internal;

import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetryEvent;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.telemetry.TelemetrySink.Counter;
import io.orchestra.core.telemetry.TelemetrySink.Timer;
import io.orchestra.saga.SagaDefinition;
import io.orchestra.saga.SagaStatus;
import java.util.Map;

/**
 * Metric handles of one definition, created once at registration so recording is a plain call.
 * Meter names: {@code orchestra.saga.started}, {@code orchestra.saga.finished} (tag {@code
 * status}), {@code orchestra.saga.step.duration} (tags {@code step}, {@code outcome}), {@code
 * orchestra.saga.step.retries}, {@code orchestra.saga.compensation.duration}, {@code
 * orchestra.saga.recoveries}, {@code orchestra.saga.lease.lost}; all tagged {@code saga}.
 * Not public API.
 */
final class SagaMetrics {
  final Counter started;
  final Counter[] finished = new Counter[SagaStatus.values().length];
  final Counter recoveries;
  final Counter leaseLost;
  final Timer[] stepSuccess;
  final Timer[] stepFailure;
  final Counter[] stepRetries;
  final Timer[] compensationSuccess;
  final Timer[] compensationFailure;
  final Counter[] compensationRetries;
  private final TelemetrySink sink;
  private final String sagaName;

  SagaMetrics(TelemetrySink sink, SagaDefinition<?> definition) {
    this.sink = sink;
    this.sagaName = definition.name();
    Tags saga = Tags.of("saga", sagaName);
    started = sink.counter("orchestra.saga.started", saga);
    for (SagaStatus s : SagaStatus.values()) {
      if (s.isFinal() || s.isParked()) {
        finished[s.ordinal()] = sink.counter("orchestra.saga.finished", saga.and("status", s.wireName()));
      }
    }
    recoveries = sink.counter("orchestra.saga.recoveries", saga);
    leaseLost = sink.counter("orchestra.saga.lease.lost", saga);
    int n = definition.steps().size();
    stepSuccess = new Timer[n];
    stepFailure = new Timer[n];
    stepRetries = new Counter[n];
    compensationSuccess = new Timer[n];
    compensationFailure = new Timer[n];
    compensationRetries = new Counter[n];
    for (int i = 0; i < n; i++) {
      Tags step = saga.and("step", definition.step(i).name());
      stepSuccess[i] = sink.timer("orchestra.saga.step.duration", step.and("outcome", "success"));
      stepFailure[i] = sink.timer("orchestra.saga.step.duration", step.and("outcome", "failure"));
      stepRetries[i] = sink.counter("orchestra.saga.step.retries", step);
      compensationSuccess[i] =
          sink.timer("orchestra.saga.compensation.duration", step.and("outcome", "success"));
      compensationFailure[i] =
          sink.timer("orchestra.saga.compensation.duration", step.and("outcome", "failure"));
      compensationRetries[i] = sink.counter("orchestra.saga.compensation.retries", step);
    }
  }

  void finished(SagaStatus status, String sagaId, long epochMillis, String failure) {
    Counter c = finished[status.ordinal()];
    if (c != null) {
      c.increment();
    }
    if (status != SagaStatus.COMPLETED) {
      event("saga." + status.wireName(), sagaId, epochMillis, failure == null ? Map.of() : Map.of("failure", failure));
    }
  }

  void event(String type, String sagaId, long epochMillis, Map<String, String> extra) {
    java.util.HashMap<String, String> attributes = new java.util.HashMap<>(extra);
    attributes.put("saga", sagaName);
    attributes.put("sagaId", sagaId);
    sink.event(new TelemetryEvent(type, "orchestra-saga", epochMillis, attributes));
  }
}
