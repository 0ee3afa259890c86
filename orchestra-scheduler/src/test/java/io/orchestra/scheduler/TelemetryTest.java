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

  @Test
  void scaleEventsReschedulesAndCapacityRequestsReachMicrometer() {
    ClusterState cluster = new ClusterState(time);
    cluster.putNode(node("n1", "a", 4, 4096).build());
    cluster.putNode(node("n2", "b", 4, 4096).build());
    WorkloadScheduler scheduler =
        Fixtures.scheduler(cluster, time)
            .telemetry(TelemetrySink.composite(new MicrometerTelemetrySink(registry), eventSink))
            .build();
    DeploymentRequest web = DeploymentRequest.builder("web").resources(1, 1).build();
    io.orchestra.scheduler.autoscaling.Autoscaler autoscaler = io.orchestra.scheduler.autoscaling.Autoscaler.of(scheduler);
    autoscaler.register(
        web, io.orchestra.scheduler.autoscaling.AutoscalingPolicy.builder().minReplicas(1).maxReplicas(10).build());
    java.util.function.DoubleFunction<io.orchestra.scheduler.autoscaling.ScalingMetrics> cpu =
        u -> io.orchestra.scheduler.autoscaling.ScalingMetrics.builder().cpuUtilization(u).build();

    join(autoscaler.reconcile("web", cpu.apply(0.5))); // no replica yet: minReplicas
    join(autoscaler.reconcile("web", cpu.apply(3.0))); // 1 -> 4 (the default scale-up policy allows 2 or +4)
    time.advance(java.time.Duration.ofMinutes(6)); // past the scale-down stabilization window
    join(autoscaler.reconcile("web", cpu.apply(0.375))); // 4 -> 2

    assertThat(registry.get("orchestra.scheduler.scale").tag("direction", "up").counter().count()).isEqualTo(4);
    assertThat(registry.get("orchestra.scheduler.scale").tag("direction", "down").counter().count()).isEqualTo(2);
    List<TelemetryEvent> scale = events.stream().filter(e -> e.type().equals("scheduler.scale")).toList();
    assertThat(scale).hasSize(3);
    assertThat(scale.get(1).attributes())
        .containsEntry("workload", "web")
        .containsEntry("from", "1")
        .containsEntry("to", "4")
        .containsEntry("change", "3")
        .containsEntry("reason", "scale up for cpu");
    assertThat(scale.get(2).attributes()).containsEntry("change", "-2");

    // two replicas on n1 fail with it; n2 has room for one of them
    cluster.placementsOf("web").forEach(p -> cluster.remove(p.containerId()));
    cluster.register("web-1", web, "n1");
    cluster.register("web-2", web, "n1");
    cluster.register("hog", DeploymentRequest.builder("hog").resources(3, 1).build(), "n2");
    String victim = "n1";
    NodeFailureSummary summary = join(scheduler.handleNodeFailure(victim));

    assertThat(summary.affectedContainers()).isEqualTo(2);
    assertThat(registry.get("orchestra.scheduler.reschedules").tag("outcome", "success").counter().count()).isEqualTo(1);
    assertThat(registry.get("orchestra.scheduler.reschedules").tag("outcome", "failure").counter().count()).isEqualTo(1);
    assertThat(events)
        .filteredOn(e -> e.type().equals("scheduler.node_failure"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.attributes())
                    .containsEntry("node", victim)
                    .containsEntry("affected", "2")
                    .containsEntry("rescheduled", "1")
                    .containsEntry("failed", "1"));
    assertThat(events)
        .filteredOn(e -> e.type().equals("scheduler.capacity_request"))
        .singleElement()
        .satisfies(
            e -> assertThat(e.attributes()).containsEntry("reason", "NODE_FAILURE").containsEntry("replicas", "1"));
  }
}
