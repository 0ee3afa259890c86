package io.orchestra.discovery.internal;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.telemetry.TelemetrySink;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The fields of an instance that picks read or write, declared in a superclass of {@link
 * InstanceState} only so that the JVM lays them out first and together (it orders a class's own
 * fields by size, which scattered these over three cache lines among the statistics that only
 * reports use). A pick then touches one or two lines of the instance instead of three or four,
 * which counts when the members of a large pool do not fit in the CPU caches.
 */
abstract class PickPathFields {
  static final AtomicIntegerFieldUpdater<PickPathFields> OUTSTANDING =
      AtomicIntegerFieldUpdater.newUpdater(PickPathFields.class, "outstanding");
  static final AtomicIntegerFieldUpdater<PickPathFields> BREAKER_VIEW =
      AtomicIntegerFieldUpdater.newUpdater(PickPathFields.class, "breakerView");

  final String id;
  final CircuitBreaker breaker; // null when circuit breaking is off
  final TelemetrySink.Counter picks;
  volatile ServiceInstance instance;
  /** Picks not reported yet; a plain volatile field (one less indirection on the pick path). */
  volatile int outstanding;
  /**
   * The breaker's state as its transition listener last saw it, so that a pick need not walk
   * breaker -> state -> virtual call: bit 0 set means CLOSED (or no breaker), the other bits count
   * updates so that listeners racing on different threads cannot leave an old state behind.
   */
  volatile int breakerView = 1;
  /** Peak-EWMA latency in nanoseconds (0 = no sample yet), written under the instance's monitor. */
  volatile double peakEwma;

  PickPathFields(
      String id, ServiceInstance instance, CircuitBreaker breaker, TelemetrySink.Counter picks) {
    this.id = id;
    this.instance = instance;
    this.breaker = breaker;
    this.picks = picks;
  }
}
