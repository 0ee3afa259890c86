package io.orchestra.discovery.internal;

import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetrySink;

/**
 * The meter handles of one service, created once so that recording is a plain method call.
 * Names follow Micrometer conventions (lower case, dot-separated, base units); tags are the
 * service name and, for picks, the instance id.
 */
final class ServiceMetrics {
  static final String CACHE = "orchestra.discovery.cache";
  static final String LATENCY = "orchestra.discovery.latency";
  static final String SOURCE_LATENCY = "orchestra.discovery.source.latency";
  static final String SOURCE_FAILURES = "orchestra.discovery.source.failures";
  static final String PICKS = "orchestra.discovery.picks";
  static final String EJECTIONS = "orchestra.discovery.ejections";
  static final String BYPASSES = "orchestra.discovery.circuit_breaker.bypass";
  static final String INSTANCES = "orchestra.discovery.instances";

  final TelemetrySink sink;
  final String service;
  final TelemetrySink.Counter hits;
  final TelemetrySink.Counter misses;
  final TelemetrySink.Counter stale;
  final TelemetrySink.Timer latency;
  final TelemetrySink.Counter ejections;
  final TelemetrySink.Counter bypasses;

  ServiceMetrics(TelemetrySink sink, String service) {
    this.sink = sink;
    this.service = service;
    this.hits = sink.counter(CACHE, Tags.of("service", service, "result", "hit"));
    this.misses = sink.counter(CACHE, Tags.of("service", service, "result", "miss"));
    this.stale = sink.counter(CACHE, Tags.of("service", service, "result", "stale"));
    this.latency = sink.timer(LATENCY, Tags.of("service", service));
    this.ejections = sink.counter(EJECTIONS, Tags.of("service", service));
    this.bypasses = sink.counter(BYPASSES, Tags.of("service", service));
  }

  TelemetrySink.Counter picks(String instanceId) {
    return sink.counter(PICKS, Tags.of("service", service, "instance", instanceId));
  }

  /**
   * Forgets the pick counter of an instance that left, so that instance churn (rolling deploys,
   * autoscaling) does not grow the registry without bound. A pick racing with the removal counts
   * on the old handle and is discarded; an instance that comes back counts from zero.
   */
  void forgetPicks(String instanceId) {
    sink.remove(PICKS, Tags.of("service", service, "instance", instanceId));
  }

  TelemetrySink.Timer sourceLatency(String source) {
    return sink.timer(SOURCE_LATENCY, Tags.of("service", service, "source", source));
  }

  TelemetrySink.Counter sourceFailures(String source) {
    return sink.counter(SOURCE_FAILURES, Tags.of("service", service, "source", source));
  }
}
