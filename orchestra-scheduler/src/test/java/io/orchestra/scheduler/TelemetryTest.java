package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.join;
import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestra.core.telemetry.AccessLogRecord;
import io.orchestra.core.telemetry.MicrometerTelemetrySink;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetryEvent;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.trace.TraceContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class TelemetryTest {
  private final VirtualTime time = new VirtualTime();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<TelemetryEvent> events = new CopyOnWriteArrayList<>();
  private final TelemetrySink eventSink =
      new TelemetrySink() {
        @Override
        public Counter counter(String name, Tags tags) {
          return amount -> {};
        }

        @Override
        public Timer timer(String name, Tags tags) {
          return nanos -> {};
        }

        @Override
        public void gauge(String name, Tags tags, DoubleSupplier value) {}

        @Override
        public Span startSpan(String name, SpanKind kind, TraceContext context, long parentSpanId, long startEpochNanos) {
          return Span.NOOP;
        }

        @Override
        public void accessLog(AccessLogRecord record) {}

        @Override
        public void event(TelemetryEvent event) {
          events.add(event);
        }
      };

  @Test
  void schedulingLatencyAttemptsAndUnschedulableReasonsReachMicrometer() {
    ClusterState cluster = new ClusterState(time);
    cluster.putNode(node("n1", "a", 2, 2048).build());
    cluster.putNode(node("gpu", "a", 8, 8192).taint("dedicated", "gpu", TaintEffect.NO_SCHEDULE).build());
    WorkloadScheduler scheduler =
        Fixtures.scheduler(cluster, time)
            .telemetry(TelemetrySink.composite(new MicrometerTelemetrySink(registry), eventSink))
            .build();

    join(scheduler.schedule(DeploymentRequest.builder("small").resources(1, 1).build()));
    join(scheduler.schedule(DeploymentRequest.builder("big").resources(4, 1).build()));

    assertThat(registry.get("orchestra.scheduler.schedule.duration").tag("outcome", "scheduled").timer().count()).isEqualTo(1);
    assertThat(registry.get("orchestra.scheduler.schedule.duration").tag("outcome", "unschedulable").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("orchestra.scheduler.decision.duration").timer().count()).isEqualTo(2);
    assertThat(registry.get("orchestra.scheduler.attempts").counter().count()).isEqualTo(2);
    assertThat(registry.get("orchestra.scheduler.unschedulable").tag("filter", "resources").counter().count()).isEqualTo(1);
    assertThat(registry.get("orchestra.scheduler.unschedulable").tag("filter", "taint_toleration").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("orchestra.scheduler.nodes").gauge().value()).isEqualTo(2);
    assertThat(registry.get("orchestra.scheduler.placements").gauge().value()).isEqualTo(1);
    assertThat(events).hasSize(1);
    TelemetryEvent e = events.get(0);
    assertThat(e.type()).isEqualTo("scheduler.unschedulable");
    assertThat(e.source()).isEqualTo("orchestra-scheduler");
    assertThat(e.attributes()).containsEntry("workload", "big");
    assertThat(e.attributes().get("message")).contains("0/2 nodes fit big");
  }
}
