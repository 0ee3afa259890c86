package io.orchestra.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.telemetry.MicrometerTelemetrySink;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.mesh.ObservabilityConfig;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A sweep retiring an idle destination and a request touching it, racing: exactly one of them
 * wins. The request must never be told it may use a state the sweep retired, and a sweep must
 * never keep a state nobody touched.
 */
class DestinationRetirementRaceTest {
  private static final int ROUNDS = 100_000;
  private static final int OFFSETS = 32;

  private static void spin(int n) {
    for (int i = 0; i < n; i++) {
      Thread.onSpinWait();
    }
  }

  @Test
  void aSweepAndATouch_neverBothWin_andNeverBothLose() throws Exception {
    VirtualTime time = new VirtualTime();
    InstanceSource none = service -> List.of();
    MeshTelemetry telemetry = new MeshTelemetry(TelemetrySink.noop(), ObservabilityConfig.builder().build(), time);
    AtomicReference<DestinationState> current = new AtomicReference<>();
    AtomicInteger round = new AtomicInteger(-1);
    AtomicInteger touchedRound = new AtomicInteger(-1);
    boolean[] touched = new boolean[ROUNDS];
    AtomicInteger arrived = new AtomicInteger(-1);
    Thread request = new Thread(() -> {
      for (int r = 0; r < ROUNDS; r++) {
        while (round.get() < r) {
          Thread.onSpinWait();
        }
        DestinationState ds = current.get();
        arrived.set(r);
        spin(r / OFFSETS % OFFSETS);
        touched[r] = ds.touch();
        touchedRound.set(r);
      }
    });
    request.start();
    int bothWon = 0;
    int bothLost = 0;
    int retired = 0;
    for (int r = 0; r < ROUNDS; r++) {
      DestinationState ds = new DestinationState("orders", none, time, telemetry, false);
      assertThat(ds.retireIfIdle()).isFalse(); // clears the bit a new state starts with
      current.set(ds);
      round.set(r);
      // Both threads on a CPU together: the sweep starts once the request thread has arrived,
      // each after its own short spin, the two spins stepping through every pair of offsets.
      while (arrived.get() < r) {
        Thread.onSpinWait();
      }
      spin(r % OFFSETS);
      boolean sweepWon = ds.retireIfIdle();
      while (touchedRound.get() < r) {
        Thread.onSpinWait();
      }
      if (sweepWon) {
        retired++;
      }
      if (sweepWon && touched[r]) {
        bothWon++;
      }
      if (!sweepWon && !touched[r]) {
        bothLost++;
      }
      assertThat(ds.retired()).isEqualTo(sweepWon);
    }
    request.join();
    assertThat(bothWon).as("requests handed a retired state").isZero();
    assertThat(bothLost).as("states neither used nor retired").isZero();
    assertThat(retired).as("rounds the sweep won").isPositive().isLessThan(ROUNDS);
  }

  @Test
  void aStateMadeAfreshWhileASweepIsRetiringTheOldOne_keepsItsMeters() {
    VirtualTime time = new VirtualTime();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MeshTelemetry telemetry = new MeshTelemetry(new MicrometerTelemetrySink(registry), ObservabilityConfig.builder().build(), time);
    Destinations destinations = new Destinations(service -> List.of(), time, telemetry, false, 0);
    DestinationState old = destinations.stateOf("orders");
    old.metrics.record("checkout", "GET", 200, CallOutcome.SUCCESS, 1_000);
    assertThat(old.retireIfIdle()).isFalse(); // clears the bit
    assertThat(old.retireIfIdle()).isTrue(); // retired; the sweep pauses before removing anything

    DestinationState fresh = destinations.stateOf("orders"); // a request meets the retired state
    fresh.metrics.record("checkout", "GET", 200, CallOutcome.SUCCESS, 1_000);
    old.forgetMeters(); // the sweep goes on
    fresh.metrics.record("checkout", "GET", 200, CallOutcome.SUCCESS, 1_000);

    assertThat(fresh).isNotSameAs(old);
    // Micrometer hands out the registered meter for an id: had the old one still been there when
    // the fresh state asked, the sweep would now have removed the fresh state's meters.
    assertThat(registry.get("orchestra.mesh.requests").tags("service", "orders", "status", "200").timer().count()).isEqualTo(2);
    assertThat(registry.find("orchestra.mesh.retries").tag("service", "orders").counter()).isNotNull();
  }
}
