package io.orchestra.scheduler.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.scheduler.ScalingPolicy;
import io.orchestra.scheduler.SelectPolicy;
import io.orchestra.scheduler.internal.ReplicaMath;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaMathTest {
  private static final Duration P = Duration.ofSeconds(15);

  @ParameterizedTest(name = "current {0}, value {1}, target {2}, tolerance {3} -> {4}")
  @CsvSource({
    "4, 0.80, 0.75, 0.1, 4", // ratio 1.067: inside the band
    "4, 0.90, 0.75, 0.1, 5", // ratio 1.2: ceil(4.8)
    "4, 0.825, 0.75, 0.1, 4", // ratio exactly 1.1: still inside
    "4, 0.60, 0.75, 0.1, 4", // ratio 0.8... no: 0.8 is outside
    "10, 0.30, 0.60, 0.1, 5",
    "3, 0.90, 0.60, 0.1, 5", // 3 * 1.5 = 4.5 -> 5
    "4, 1.125, 0.75, 0.1, 6", // 4 * 1.5 = 6 exactly, no rounding up to 7
    "5, 0.0, 0.5, 0.1, 0",
    "7, 0.7, 0.7, 0.0, 7"
  })
  void replicasFor(int current, double value, double target, double tolerance, int expected) {
    if (current == 4 && value == 0.60) {
      // 0.6 / 0.75 = 0.8: outside the band -> ceil(3.2) = 4; documented here because it reads oddly
      assertThat(ReplicaMath.replicasFor(current, value, target, tolerance)).isEqualTo(4);
      assertThat(ReplicaMath.replicasFor(10, value, target, tolerance)).isEqualTo(8);
      return;
    }
    assertThat(ReplicaMath.replicasFor(current, value, target, tolerance)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "up: current {0}, added {1}, select {2} -> {3}")
  @CsvSource({
    "4, 0, MAX, 8", // max(100% -> 8, 4 pods -> 8)
    "10, 0, MAX, 20",
    "1, 0, MAX, 5", // 4 pods beats 100%
    "1, 0, MIN, 2",
    "8, 4, MAX, 8", // 4 already added this period: from 4, 8 is the cap
    "8, 4, DISABLED, 8"
  })
  void scaleUpLimit(int current, int added, SelectPolicy select, int expected) {
    List<ScalingPolicy> policies = List.of(ScalingPolicy.percent(100, P), ScalingPolicy.pods(4, P));
    assertThat(ReplicaMath.scaleUpLimit(policies, select, current, new int[] {added, added})).isEqualTo(expected);
  }

  @ParameterizedTest(name = "down: current {0}, removed {1}, select {2} -> {3}")
  @CsvSource({
    "10, 0, MAX, 0", // 100% per period: anything goes
    "10, 0, MIN, 9", // the 1-pod policy is the smaller change
    "9, 1, MIN, 9", // one already removed this period
    "10, 0, DISABLED, 10"
  })
  void scaleDownLimit(int current, int removed, SelectPolicy select, int expected) {
    List<ScalingPolicy> policies = List.of(ScalingPolicy.percent(100, P), ScalingPolicy.pods(1, P));
    assertThat(ReplicaMath.scaleDownLimit(policies, select, current, new int[] {removed, removed})).isEqualTo(expected);
  }

  @ParameterizedTest(name = "down 50%: current {0}, removed {1} -> {2}")
  @CsvSource({"10, 0, 5", "5, 5, 5", "7, 0, 3"})
  void scaleDownPercent(int current, int removed, int expected) {
    List<ScalingPolicy> policies = List.of(ScalingPolicy.percent(50, P));
    assertThat(ReplicaMath.scaleDownLimit(policies, SelectPolicy.MAX, current, new int[] {removed})).isEqualTo(expected);
  }
}
