package io.orchestra.observability;

import io.orchestra.core.time.VirtualTime;
import java.time.Instant;
import java.util.concurrent.Executor;

/** Test helpers: engines on virtual time, with background work run inline. */
final class Engines {
  static final Executor INLINE = Runnable::run;

  private Engines() {}

  static VirtualTime time() {
    return new VirtualTime(Instant.parse("2026-01-01T00:00:00Z"));
  }

  static ObservabilityEngine.Builder on(VirtualTime time, ObservabilityConfig config) {
    return ObservabilityEngine.builder().config(config).clock(time).ticker(time).scheduler(time).executor(INLINE);
  }

  /** Defaults with every trace sampled. */
  static ObservabilityConfig allSampled() {
    return ObservabilityConfig.builder()
        .tracing(TracingConfig.builder().samplingRate(1.0).build())
        .build();
  }
}
