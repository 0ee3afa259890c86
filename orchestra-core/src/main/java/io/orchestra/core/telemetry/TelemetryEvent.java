package io.orchestra.core.telemetry;

import io.orchestra.core.internal.Checks;
import java.util.Map;

/**
 * A domain event: something an engine decided or observed that an operator may want to see
 * (a circuit opened, a saga was compensated, a node was drained).
 *
 * @param type dot-separated event type, such as {@code circuit_breaker.state_transition}
 * @param source the emitting component, such as {@code orchestra-mesh}
 * @param timestampEpochMillis when it happened
 * @param attributes details; low or high cardinality both allowed
 */
public record TelemetryEvent(
    String type, String source, long timestampEpochMillis, Map<String, String> attributes) {

  /** Copies the attributes (a map without null keys or values; pass an empty map for none). */
  public TelemetryEvent {
    attributes = Map.copyOf(Checks.notNull("event.attributes", attributes));
  }
}
