package io.orchestra.scheduler.internal;

import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetryEvent;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.scheduler.FilterRejection;
import io.orchestra.scheduler.Unschedulable;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scheduler's meters, created once so that recording is a method call:
 *
 * <ul>
 *   <li>{@code orchestra.scheduler.schedule.duration} (timer, tag {@code outcome}: scheduled,
 *       unschedulable, runtime_failed, runtime_timeout) - from the call to the final outcome;
 *   <li>{@code orchestra.scheduler.decision.duration} (timer) - filter, score and reserve only;
 *   <li>{@code orchestra.scheduler.attempts} (counter) - decisions made, more than requests when
 *       concurrent schedulers conflicted;
 *   <li>{@code orchestra.scheduler.unschedulable} (counter, tag {@code filter}) - per
 *       unschedulable request, each filter that rejected at least one node;
 *   <li>{@code orchestra.scheduler.scale} (counter, tag {@code direction}: up, down) - replicas
 *       added or removed by the autoscaler;
 *   <li>{@code orchestra.scheduler.reschedules} (counter, tag {@code outcome}: success, failure) -
 *       after node failures;
 *   <li>gauges {@code orchestra.scheduler.nodes} and {@code orchestra.scheduler.placements}.
 * </ul>
 *
 * Events ({@code scheduler.unschedulable}, {@code scheduler.scale}, {@code
 * scheduler.node_failure}, {@code scheduler.drain}, {@code scheduler.capacity_request}) carry the
 * high-cardinality details. Thread-safe.
 */
public final class SchedulerMetrics {
  /** The event source name. */
  public static final String SOURCE = "orchestra-scheduler";

  private final TelemetrySink sink;
  private final Clock clock;
  private final TelemetrySink.Timer scheduled;
  private final TelemetrySink.Timer unschedulable;
  private final TelemetrySink.Timer runtimeFailed;
  private final TelemetrySink.Timer runtimeTimeout;
  private final TelemetrySink.Timer decision;
  private final TelemetrySink.Counter attempts;
  private final TelemetrySink.Counter scaleUp;
  private final TelemetrySink.Counter scaleDown;
  private final TelemetrySink.Counter rescheduled;
  private final TelemetrySink.Counter rescheduleFailed;
  private final Map<String, TelemetrySink.Counter> rejections = new ConcurrentHashMap<>();

  /** Meters in {@code sink}; gauges read {@code store}. */
  public SchedulerMetrics(TelemetrySink sink, Clock clock, StateStore store) {
    this.sink = sink;
    this.clock = clock;
    String duration = "orchestra.scheduler.schedule.duration";
    scheduled = sink.timer(duration, Tags.of("outcome", "scheduled"));
    unschedulable = sink.timer(duration, Tags.of("outcome", "unschedulable"));
    runtimeFailed = sink.timer(duration, Tags.of("outcome", "runtime_failed"));
    runtimeTimeout = sink.timer(duration, Tags.of("outcome", "runtime_timeout"));
    decision = sink.timer("orchestra.scheduler.decision.duration", Tags.empty());
    attempts = sink.counter("orchestra.scheduler.attempts", Tags.empty());
    scaleUp = sink.counter("orchestra.scheduler.scale", Tags.of("direction", "up"));
    scaleDown = sink.counter("orchestra.scheduler.scale", Tags.of("direction", "down"));
    rescheduled = sink.counter("orchestra.scheduler.reschedules", Tags.of("outcome", "success"));
    rescheduleFailed = sink.counter("orchestra.scheduler.reschedules", Tags.of("outcome", "failure"));
    sink.gauge("orchestra.scheduler.nodes", Tags.empty(), store::nodeCount);
    sink.gauge("orchestra.scheduler.placements", Tags.empty(), store::placementCount);
  }

  /** Records one decision. */
  public void decision(long nanos, int attemptCount) {
    decision.record(nanos);
    attempts.increment(attemptCount);
  }

  /** Records a successful schedule. */
  public void scheduled(long nanos) {
    scheduled.record(nanos);
  }

  /** Records a runtime failure (timeout or not). */
  public void runtimeFailed(long nanos, boolean timeout) {
    (timeout ? runtimeTimeout : runtimeFailed).record(nanos);
  }

  /** Records an unschedulable request with its explanation. */
  public void unschedulable(long nanos, Unschedulable why) {
    unschedulable.record(nanos);
    for (FilterRejection r : why.rejections()) {
      rejections
          .computeIfAbsent(
              r.filter(), f -> sink.counter("orchestra.scheduler.unschedulable", Tags.of("filter", f)))
          .increment();
    }
    event("scheduler.unschedulable", Map.of("workload", why.workload(), "message", why.message()));
  }

  /** Records replicas added or removed. */
  public void scale(boolean up, int replicas) {
    (up ? scaleUp : scaleDown).increment(replicas);
  }

  /** Records a reschedule outcome after a node failure. */
  public void rescheduled(boolean success) {
    (success ? rescheduled : rescheduleFailed).increment();
  }

  /** Emits a domain event. */
  public void event(String type, Map<String, String> attributes) {
    sink.event(new TelemetryEvent(type, SOURCE, clock.millis(), attributes));
  }
}
