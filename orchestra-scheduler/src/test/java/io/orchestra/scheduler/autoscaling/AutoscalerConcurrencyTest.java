package io.orchestra.scheduler.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.telemetry.AccessLogRecord;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetryEvent;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.scheduler.ClusterState;
import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.NodeInfo;
import io.orchestra.scheduler.Placement;
import io.orchestra.scheduler.ScalingConfig;
import io.orchestra.scheduler.ScalingPolicy;
import io.orchestra.scheduler.SchedulerConfig;
import io.orchestra.scheduler.SchedulingResult;
import io.orchestra.scheduler.WorkloadScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A scaling step records, in its history (which the rate policies read) and in its {@code
 * scheduler.scale} event and counter, the replicas it added or removed itself, however fast other
 * threads add and remove replicas of the same workload meanwhile. Counting a scale-up as "replicas
 * now minus replicas at the decision" mixes two states of the cluster: a replica removed in
 * between makes the change too small (even negative, a scale-up recorded as a scale-down), one
 * added by someone else too large. Counting a scale-down as the victims chosen counts those that
 * someone else removed first. One thread reconciles (with rate policies that never limit and no
 * scale-down stabilization) while six others schedule and remove replicas of the workload.
 * Bounded by iteration counts: nothing sleeps.
 */
class AutoscalerConcurrencyTest {
  private static final int CHURNERS = 6;
  private static final int RECONCILES = 1_500;
  private static final int CHURN_PER_THREAD = 3_000;

  private final VirtualTime time = new VirtualTime();
  private final List<TelemetryEvent> events = new CopyOnWriteArrayList<>();
  private final List<Double> scaleCounts = new CopyOnWriteArrayList<>();

  private final TelemetrySink sink =
      new TelemetrySink() {
        @Override
        public Counter counter(String name, Tags tags) {
          return name.equals("orchestra.scheduler.scale") ? scaleCounts::add : amount -> {};
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
          if (event.type().equals("scheduler.scale")) {
            events.add(event);
          }
        }
      };

  /** Which way the reconciles scale. */
  enum Direction {
    /** A hot metric; the others keep a few replicas, so that it keeps asking for more. */
    UP(ScalingMetrics.builder().cpuUtilization(3.0).build(), 3, ScalingDecision.Action.SCALE_UP),
    /** A cold metric; the others keep many replicas, so that it keeps asking for fewer. */
    DOWN(ScalingMetrics.builder().cpuUtilization(0.05).build(), 12, ScalingDecision.Action.SCALE_DOWN);

    final ScalingMetrics metrics;
    final int churnTarget;
    final ScalingDecision.Action action;

    Direction(ScalingMetrics metrics, int churnTarget, ScalingDecision.Action action) {
      this.metrics = metrics;
      this.churnTarget = churnTarget;
      this.action = action;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Direction.class)
  @DisplayName("scaling while 6 threads add and remove replicas: each step records the replicas it added or removed")
  void reconcile_whileReplicasChurn_recordsWhatItChanged(Direction direction) throws Exception {
    ClusterState cluster = new ClusterState(time);
    for (int i = 0; i < 4; i++) {
      cluster.putNode(NodeInfo.builder("n" + i).zone("z" + i).allocatable(64, 65_536, 0, 0).build());
    }
    ScalingConfig scaling =
        ScalingConfig.defaults().toBuilder()
            .scaleUpPolicies(List.of(ScalingPolicy.pods(1_000, Duration.ofNanos(1))))
            .scaleDownPolicies(List.of(ScalingPolicy.pods(1_000, Duration.ofNanos(1))))
            .scaleDownStabilization(Duration.ZERO)
            .build();
    WorkloadScheduler scheduler =
        WorkloadScheduler.builder(cluster)
            .config(SchedulerConfig.builder().scaling(scaling).build())
            .telemetry(sink)
            .ticker(time)
            .clock(time)
            .timers(time)
            .random(RandomSource.seeded(7))
            .build();
    DeploymentRequest web = DeploymentRequest.builder("web").resources(1, 256).build();
    Autoscaler autoscaler = Autoscaler.of(scheduler);
    autoscaler.register(web, AutoscalingPolicy.builder().minReplicas(1).maxReplicas(16).build());

    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicBoolean churning = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(CHURNERS + 1);
    CountDownLatch ready = new CountDownLatch(CHURNERS + 1);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> churners = new ArrayList<>();
    int steps = 0;
    try {
      for (int c = 0; c < CHURNERS; c++) {
        int thread = c;
        churners.add(
            pool.submit(
                (Callable<Void>)
                    () -> {
                      ready.countDown();
                      go.await();
                      for (int i = 0; i < CHURN_PER_THREAD; i++) {
                        List<Placement> of = cluster.placementsOf("web");
                        if (of.size() < direction.churnTarget && (i + thread) % 2 == 0) {
                          scheduler.schedule(web).toCompletableFuture().join();
                        } else if (!of.isEmpty()) {
                          cluster.remove(of.get(Math.floorMod(i * 31 + thread, of.size())).containerId());
                        }
                      }
                      return null;
                    }));
      }
      Future<Integer> reconciler =
          pool.submit(
              () -> {
                ready.countDown();
                go.await();
                int acted = 0;
                for (int i = 0; i < RECONCILES && churning.get(); i++) {
                  time.advance(Duration.ofMillis(1)); // a fresh rate-policy period every time
                  int before = events.size();
                  ScalingResult r = autoscaler.reconcile("web", direction.metrics).toCompletableFuture().join();
                  if (r.action() != direction.action) {
                    continue;
                  }
                  acted++;
                  // The runtime creates and stops every replica it is asked to: what this step
                  // changed is what it placed, or the terminations it started.
                  int changed = -r.terminated();
                  for (SchedulingResult s : r.created()) {
                    changed += s.success() ? 1 : 0;
                  }
                  String change = events.size() == before + 1 ? events.get(before).attributes().get("change") : null;
                  if (!String.valueOf(changed).equals(change)) {
                    violations.add(
                        "changed " + changed + " from " + r.previousReplicas() + " towards " + r.targetReplicas() + ", recorded change " + change);
                  }
                }
                return acted;
              });
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      for (Future<?> f : churners) {
        f.get(60, TimeUnit.SECONDS);
      }
      churning.set(false);
      steps = reconciler.get(60, TimeUnit.SECONDS);
    } finally {
      churning.set(false);
      pool.shutdownNow();
    }

    assertThat(steps).isPositive();
    assertThat(violations).as("steps recording a change they did not make, of %d", steps).isEmpty();
    assertThat(scaleCounts).as("scale counter increments").allMatch(n -> n >= 0);
  }
}
